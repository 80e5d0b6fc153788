import Foundation
import StrataRuntime

/// Loads a script once in a confined worker process (its chunk runs, no `init()`), to vet a save
/// before the engine touches it: a file that crashes or wedges whatever process loads it costs
/// a worker, not the engine. A script that passes is then loaded in the engine's own scratch
/// state for its schema (the same deterministic chunk, already shown to end within its limits).
public struct IsolatedLoadCheck {
    public var script: StrategyScript
    public var limits: StrategyLimits
    public var call: WorkerCall

    public init(script: StrategyScript, limits: StrategyLimits, executable: String = WorkerProcess.currentExecutable) {
        self.script = script
        self.limits = limits
        let seconds = UInt64(max(10, (4 * limits.loadDeadline.seconds).rounded(.up)))
        self.call = WorkerCall(executable: executable, confinement: WorkerConfinement(cpuSeconds: seconds))
    }

    /// The script's error, or nil when it loads.
    public func run() -> StrategyError? {
        let request = JSONValue.object([
            "load_check": .object(
                [
                    "name": .string(script.name), "source": .string(script.source), "chunk_name": .string(script.chunkName), "limits": limits.wire,
                ].merging(script.moduleWire) { own, _ in own })
        ])
        switch call.run(request, budget: limits.loadDeadline * 2, progress: { _ in limits.loadDeadline * 2 }) {
        case .success(let answer):
            if let error = answer["error"] { return StrategyError(wire: error) }
            return nil
        case .failure(let failure):
            return failure.error(in: .load)
        }
    }

    /// The worker's side: answers a `{"load_check": …}` request; returns the exit status.
    public static func serve(_ session: WorkerSession, confinement: WorkerConfinement) -> Int32 {
        guard let body = session.request["load_check"], let name = body["name"]?.stringValue, let source = body["source"]?.stringValue,
            let chunkName = body["chunk_name"]?.stringValue, let limits = body["limits"].flatMap(StrategyLimits.init(wire:))
        else {
            session.fail("not a load check request")
            return 70
        }
        guard session.confine(confinement) else { return 70 }
        let script = StrategyScript(name: name, source: source, chunkName: chunkName).withModules(from: body)
        let identity = InstanceIdentity(id: "check", strategyType: name, account: "paper", market: "CHECK/USD")
        do {
            _ = try StrategyInstance.check(script, identity: identity, limits: limits)
            return session.answer(.object(["ok": .bool(true)]))
        } catch {
            return session.answer(.object(["error": error.wire]))
        }
    }
}
