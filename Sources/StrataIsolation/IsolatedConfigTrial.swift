import Foundation
import StrataRuntime

/// A ``ConfigTrial`` run in a confined worker process: the script on trial may be third-party,
/// and the API server that asks must not be what it crashes or wedges.
public struct IsolatedConfigTrial {
    public var trial: ConfigTrial
    public var call: WorkerCall

    public init(trial: ConfigTrial, executable: String) {
        self.trial = trial
        let limits = trial.limits
        let calls = Double(2 * trial.ticks) * limits.tickDeadline.seconds + 4 * limits.loadDeadline.seconds
        self.call = WorkerCall(executable: executable, confinement: WorkerConfinement(cpuSeconds: UInt64(max(10, (2 * calls).rounded(.up)))))
    }

    /// The script's error, or nil when it takes the config.
    public func run() -> StrategyError? {
        let limits = trial.limits
        var request: [String: JSONValue] = [
            "name": .string(trial.script.name), "source": .string(trial.script.source), "chunk_name": .string(trial.script.chunkName),
            "identity": .object([
                "id": .string(trial.identity.id), "strategy_type": .string(trial.identity.strategyType),
                "account": .string(trial.identity.account), "market": .string(trial.identity.market),
            ]),
            "mode": .string(trial.mode.rawValue), "proposed": .object(trial.proposed), "ticks": .integer(Int64(trial.ticks)),
            "limits": limits.wire,
        ]
        if let current = trial.current { request["current"] = .object(current) }
        request.merge(trial.script.moduleWire) { own, _ in own }
        // Every call of the trial (two loads, the ticks, on_config) is under its own deadline;
        // the worker reports nothing between them, so the budget covers the whole trial.
        let budget = limits.loadDeadline * 4 + limits.tickDeadline * (2 * trial.ticks)
        switch call.run(.object(["config_trial": .object(request)]), budget: budget, progress: { _ in budget }) {
        case .success(let answer):
            return answer["error"].flatMap(StrategyError.init(wire:))
        case .failure(let failure):
            return failure.error(in: .config)
        }
    }

    /// The worker's side: answers a `{"config_trial": …}` request; returns the exit status.
    public static func serve(_ session: WorkerSession, confinement: WorkerConfinement) -> Int32 {
        guard let body = session.request["config_trial"], let name = body["name"]?.stringValue, let source = body["source"]?.stringValue,
            let chunkName = body["chunk_name"]?.stringValue, let identity = body["identity"],
            let id = identity["id"]?.stringValue, let type = identity["strategy_type"]?.stringValue,
            let account = identity["account"]?.stringValue, let market = identity["market"]?.stringValue,
            let mode = body["mode"]?.stringValue.flatMap(InstanceMode.init(rawValue:)), let proposed = body["proposed"]?.objectValue,
            let ticks = body["ticks"]?.intValue, let limits = body["limits"].flatMap(StrategyLimits.init(wire:))
        else {
            session.fail("not a config trial request")
            return 70
        }
        guard session.confine(confinement) else { return 70 }
        let trial = ConfigTrial(
            script: StrategyScript(name: name, source: source, chunkName: chunkName).withModules(from: body),
            identity: InstanceIdentity(id: id, strategyType: type, account: account, market: market), mode: mode,
            current: body["current"]?.objectValue, proposed: proposed, ticks: ticks, limits: limits)
        return session.answer(.object(trial.run().map { ["error": $0.wire] } ?? ["ok": .bool(true)]))
    }
}
