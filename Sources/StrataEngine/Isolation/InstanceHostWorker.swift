import CStrataIsolation
import Foundation
import StrataIsolation
import StrataRuntime

/// The worker side of `strata serve --isolation process`: a confined process that hosts a share
/// of the instances and runs what the engine asks, one ``HostRequest`` at a time, on its one
/// script thread. Before each call into a script it writes the instance's slot on the call
/// board, so that if the call crashes or wedges the process, the engine knows whose it was.
public final class InstanceHostWorker {
    private let channel: WorkerChannel
    private let board: UnsafeMutablePointer<strata_call_board>
    private let limits: StrategyLimits
    private let faults: Bool
    private let coder = HostCoder()
    private let broker: MirrorBroker
    private var scripts: [String: StrategyScript] = [:]
    private var hosted: [Int: InstanceSlot] = [:]
    /// Each market's instances, by slot.
    private var byMarket: [String: [(slot: Int, instance: InstanceSlot)]] = [:]

    /// Reads what the first request names (limits, whether test faults are on) and maps the
    /// board on descriptor 4; nil (after telling the parent) when the request is not a host one.
    public init?(session: WorkerSession) {
        guard let body = session.request["host"], let limits = body["limits"].flatMap(StrategyLimits.init(wire:)) else {
            session.fail("not a host request")
            return nil
        }
        guard let board = strata_board_map(STRATA_WORKER_BOARD_FD) else {
            session.fail("the worker has no call board on descriptor \(STRATA_WORKER_BOARD_FD)")
            return nil
        }
        self.channel = session.channel
        self.board = board
        self.limits = limits
        self.faults = body["faults"] == JSONValue.bool(true)
        self.broker = MirrorBroker(channel: session.channel)
    }

    /// The first request a host worker gets.
    static func request(limits: StrategyLimits, faults: Bool) -> JSONValue {
        .object(["host": .object(["limits": limits.wire, "faults": .bool(faults)])])
    }

    /// Serves requests until the engine closes the channel; returns the exit status.
    public func serve() -> Int32 {
        while true {
            guard let frame = try? channel.receive() else { return 0 }
            guard let request = coder.message(HostRequest.self, from: frame) else { return 70 }
            let reply = handle(request)
            if broker.lost { return 0 }
            do {
                try channel.send(coder.frame(reply))
            } catch {
                return 0
            }
        }
    }

    private func handle(_ request: HostRequest) -> HostReply {
        switch request {
        case .load(let newScripts, let loads):
            for script in newScripts.map(\.script) { scripts[script.version] = script }
            var failures: [HostFailure] = []
            var notes: [HostFailure] = []
            for request in loads {
                switch load(request) {
                case .failed(let failure): failures.append(failure)
                case .fresh(let note?):
                    let message = Engine.restoreNote(note.strategyError).message
                    notes.append(HostFailure(slot: note.slot, error: StrategyError(kind: .snapshot, phase: .`init`, message: message)))
                case .partly(let note): notes.append(note)
                case .fresh(nil), .resumed: break
                }
            }
            index()
            return .loaded(failures: failures, notes: notes)
        case .unload(let slots):
            for slot in slots { drop(slot) }
            index()
            return .done
        case .mode(let slot, let mode):
            hosted[slot]?.local?.setMode(mode)
            return .done
        case .configure(let slot, let config):
            return .failures(call(slot, phase: .config, budget: limits.loadDeadline * 2) { (runtime) throws(StrategyError) in try runtime.reconfigure(config) })
        case .reload(let slot, let script):
            let newScript = script.script
            scripts[newScript.version] = newScript
            return .failures(call(slot, phase: .reload, budget: limits.loadDeadline * 3) { (runtime) throws(StrategyError) in try runtime.reload(newScript) })
        case .render(let slot):
            var widgets: JSONValue?
            let failures = call(slot, phase: .render, budget: limits.renderDeadline, drop: false) { (runtime) throws(StrategyError) in
                widgets = try runtime.render()
            }
            return .rendered(widgets: widgets, failure: failures.first)
        case .round(let ticks, let views):
            return .roundDone(round(ticks, views: views))
        case .stats:
            return .stats(
                hosted.map { slot, instance in
                    HostStats(
                        slot: slot, memory: instance.local?.memoryUsed ?? 0, cpuSeconds: instance.cpuSeconds,
                        p50: instance.latencies.quantile(0.5), p99: instance.latencies.quantile(0.99))
                })
        case .save(let slots):
            return .saved(slots.map(save))
        case .brokerAnswer:
            return .done
        }
    }

    /// One instance's saved state, under the render deadline (`on_save()` may run).
    private func save(_ slot: Int) -> HostSaved {
        var saved: [UInt8]?
        let failures = call(slot, phase: .save, budget: limits.renderDeadline * 2, drop: false) { (runtime) throws(StrategyError) in
            saved = try runtime.saveState()
        }
        let version = hosted[slot]?.local?.script.version ?? ""
        return HostSaved(slot: slot, state: saved.map { Data($0) }, version: version, error: failures.first?.error)
    }

    /// How a load went.
    private enum LoadResult {
        case failed(HostFailure)
        /// Resumed its saved state.
        case resumed
        /// Resumed it without catching up on every tick (the note says how far).
        case partly(HostFailure)
        /// Started with `init()`; the note says why a saved state given was not restored.
        case fresh(HostFailure?)
    }

    /// Builds one instance (its chunk and `init()` run under the load deadline); with a saved
    /// state, restores it and catches up on the ticks since, or starts over with `init()` when
    /// that fails.
    private func load(_ load: HostLoad) -> LoadResult {
        guard let script = scripts[load.version] else {
            return .failed(
                HostFailure(slot: load.slot, error: StrategyError(kind: .crashed, phase: .load, message: "the worker has no script \(load.version)")))
        }
        broker.slots[load.identity.id] = load.slot
        broker.views[load.identity.id] = load.view
        // Chunk, init or restore, and a catch-up bounded by the load deadline.
        strata_board_begin(board, Int64(load.slot), UInt64((limits.loadDeadline * 4).nanoseconds))
        defer { strata_board_end(board) }
        let faults = faults
        let prepare: (StrategyInstance) -> Void = { if faults { $0.exposeTestFault(WorkerSession.commit) } }
        var note: HostFailure?
        if let resume = load.resume {
            do {
                let runtime = try StrategyInstance(
                    identity: load.identity, script: script, mode: load.mode, config: load.config, broker: broker, limits: limits,
                    restoring: resume.saved, prepare: prepare)
                hosted[load.slot] = InstanceSlot(id: load.identity.id, runtime: runtime)
                if let setAside = runtime.savedStateSetAside {
                    return .partly(HostFailure(slot: load.slot, error: StrategyError(kind: .snapshot, phase: .`init`, message: setAside)))
                }
                let caught = try runtime.catchUp(resume.ticks, within: limits.loadDeadline)
                let point = ResumePoint(saved: resume.saved, ticks: resume.ticks, truncated: resume.truncated)
                guard let short = Engine.catchUpNote(caught: caught, of: point) else { return .resumed }
                return .partly(HostFailure(slot: load.slot, error: StrategyError(kind: .snapshot, phase: .`init`, message: short.message)))
            } catch {
                note = HostFailure(slot: load.slot, error: error)
            }
        }
        do {
            let runtime = try StrategyInstance(
                identity: load.identity, script: script, mode: load.mode, config: load.config, broker: broker, limits: limits, prepare: prepare)
            hosted[load.slot] = InstanceSlot(id: load.identity.id, runtime: runtime)
            return .fresh(note)
        } catch {
            broker.slots[load.identity.id] = nil
            broker.views[load.identity.id] = nil
            return .failed(HostFailure(slot: load.slot, error: error))
        }
    }

    /// Runs `body` on one instance with its slot on the board; a failure drops the instance.
    private func call(
        _ slot: Int, phase: StrategyError.Phase, budget: Duration, drop dropOnFailure: Bool = true,
        _ body: (StrategyInstance) throws(StrategyError) -> Void
    ) -> [HostFailure] {
        guard let runtime = hosted[slot]?.local else {
            return [HostFailure(slot: slot, error: StrategyError(kind: .crashed, phase: phase, message: "the worker does not host this instance"))]
        }
        strata_board_begin(board, Int64(slot), UInt64(budget.nanoseconds))
        defer { strata_board_end(board) }
        do {
            try body(runtime)
            return []
        } catch {
            if dropOnFailure {
                drop(slot)
                index()
            }
            return [HostFailure(slot: slot, error: error)]
        }
    }

    /// Hands each tick to its market's instances (all of a market's ticks in one visit), then
    /// collects failures and the log lines and signals written.
    private func round(_ ticks: [Tick], views: [HostView]) -> HostRoundResult {
        for view in views {
            if let id = hosted[view.slot]?.id { broker.views[id] = view }
        }
        var result = HostRoundResult()
        var byTickMarket: [String: [Tick]] = [:]
        for tick in ticks { byTickMarket[tick.market, default: []].append(tick) }
        let tickBudget = limits.tickDeadline.nanoseconds
        for (market, marketTicks) in byTickMarket {
            guard let instances = byMarket[market] else { continue }
            let budget = UInt64(tickBudget) * UInt64(marketTicks.count)
            for (slot, instance) in instances {
                guard let runtime = instance.local else { continue }
                let before = runtime.ticksProcessed
                strata_board_begin(board, Int64(slot), budget)
                for tick in marketTicks { instance.deliver(tick) }
                strata_board_end(board)
                if let failure = instance.failure {
                    result.failures.append(HostFailure(slot: slot, error: failure, ticks: runtime.ticksProcessed - before))
                }
            }
        }
        collectActivity(into: &result)
        if !result.failures.isEmpty {
            for failure in result.failures { drop(failure.slot) }
            index()
        }
        return result
    }

    private func collectActivity(into result: inout HostRoundResult) {
        for (slot, instance) in hosted {
            guard let runtime = instance.local else { continue }
            let recorded = runtime.signalsRecorded
            if recorded != instance.signalsFlushed {
                let kept = runtime.signals
                result.signals.append(
                    HostSignals(slot: slot, signals: Array(kept.suffix(min(recorded - instance.signalsFlushed, kept.count))), recorded: recorded))
                instance.signalsFlushed = recorded
                runtime.discardKeptSignals()
            }
            let appended = runtime.log.appended
            if appended != instance.logsFlushed {
                let kept = runtime.log.lines
                result.logs.append(HostLines(slot: slot, lines: Array(kept.suffix(min(appended - instance.logsFlushed, kept.count))), appended: appended))
                instance.logsFlushed = appended
                runtime.discardKeptLogLines()
            }
        }
    }

    private func drop(_ slot: Int) {
        guard let instance = hosted.removeValue(forKey: slot) else { return }
        broker.slots[instance.id] = nil
        broker.views[instance.id] = nil
    }

    private func index() {
        var next: [String: [(slot: Int, instance: InstanceSlot)]] = [:]
        for (slot, instance) in hosted {
            next[instance.runtime.identity.market, default: []].append((slot, instance))
        }
        byMarket = next.mapValues { $0.sorted { $0.slot < $1.slot } }
    }
}
