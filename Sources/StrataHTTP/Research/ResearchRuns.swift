import Foundation
import StrataEngine
import StrataRuntime
import Synchronization

/// Runs research work (backtests, optimizations) on threads of its own, at most `maxRunning` at
/// once (the rest wait `queued`, first come first served). Each run's record is saved when it
/// is queued, when it starts, every ``saveInterval`` while it runs and when it ends; a `research`
/// event goes to the event stream at each of those and with its progress (at most 10 a second
/// per run; the `extra`s reported in between ride along with the next one, as an array). A failing run ends `failed` with its error; a cancelled one `cancelled`, keeping
/// what it had; a run whose work throws ends `failed` with the error's description.
public final class ResearchRuns: Sendable {
    /// The work of one run.
    public typealias Work = @Sendable (ResearchProgress) throws -> ResearchOutcome

    /// How often a running run's record (its progress) is saved.
    public static let saveInterval: Duration = .seconds(2)
    /// The least time between two progress events of one run.
    public static let eventInterval: Duration = .milliseconds(100)

    public let store: any ResearchStore
    let events: EventHub
    public let maxRunning: Int

    private struct Active {
        var run: ResearchRun
        let flag: CancelFlag
        var lastEvent: ContinuousClock.Instant?
        var lastSave: ContinuousClock.Instant
        /// Extras reported since the last event: the next event carries them all.
        var extras: [JSONValue] = []
    }

    private struct State {
        var active: [String: Active] = [:]
        var queue: [(id: String, work: Work)] = []
        var running = 0
    }

    private let state = Mutex(State())

    public init(store: any ResearchStore, events: EventHub, maxRunning: Int = 1) {
        self.store = store
        self.events = events
        self.maxRunning = max(1, maxRunning)
    }

    /// Queues `record` (its status, progress and times are set here) and starts it when a slot
    /// is free. - Returns: the run as saved.
    /// - Throws: ``StoreError`` when the record cannot be saved (nothing runs then).
    @discardableResult
    public func start(_ record: ResearchRun, work: @escaping Work) throws -> ResearchRun {
        var run = record
        run.status = .queued
        run.progress = 0
        run.createdAt = Date()
        run.startedAt = nil
        run.finishedAt = nil
        try store.saveResearchRun(run)
        let queued = run
        state.withLock {
            $0.active[queued.id] = Active(run: queued, flag: CancelFlag(), lastEvent: nil, lastSave: .now)
            $0.queue.append((queued.id, work))
        }
        publish(queued)
        pump()
        return queued
    }

    /// The run `id` as it is now, if it is queued or running here (fresher than the store's).
    public func current(id: String) -> ResearchRun? {
        state.withLock { $0.active[id]?.run }
    }

    /// Cancels run `id`: a queued one ends `cancelled` at once, a running one is told to stop
    /// (it ends `cancelled` shortly). - Returns: the run now, or nil when it is not queued or
    /// running here.
    @discardableResult
    public func cancel(id: String) -> ResearchRun? {
        let (run, wasQueued) = state.withLock { state -> (ResearchRun?, Bool) in
            guard let active = state.active[id] else { return (nil, false) }
            active.flag.set()
            if let index = state.queue.firstIndex(where: { $0.id == id }) {
                state.queue.remove(at: index)
                state.active[id] = nil
                return (active.run, true)
            }
            return (active.run, false)
        }
        guard var run else { return nil }
        if wasQueued {
            run.status = .cancelled
            run.finishedAt = Date()
            run.error = "cancelled"
            try? store.saveResearchRun(run)
            publish(run)
        }
        return run
    }

    /// Cancels every run (a server stopping): queued ones end at once, running ones shortly.
    public func cancelAll() {
        for id in state.withLock({ Array($0.active.keys) }) { cancel(id: id) }
    }

    /// The number of runs queued or running.
    public var unfinished: Int { state.withLock { $0.active.count } }

    // MARK: Running

    private func pump() {
        let started = state.withLock { state -> [(String, Work)] in
            var started: [(String, Work)] = []
            while state.running < maxRunning, !state.queue.isEmpty {
                let next = state.queue.removeFirst()
                state.running += 1
                started.append((next.id, next.work))
            }
            return started
        }
        for (id, work) in started {
            let thread = Thread { [self] in execute(id: id, work: work) }
            thread.name = "strata.research"
            thread.start()
        }
    }

    private func execute(id: String, work: Work) {
        defer {
            state.withLock { $0.running -= 1 }
            pump()
        }
        let begun = state.withLock { state -> (ResearchRun, CancelFlag)? in
            guard var active = state.active[id] else { return nil }
            active.run.status = .running
            active.run.startedAt = Date()
            active.lastSave = .now
            state.active[id] = active
            return (active.run, active.flag)
        }
        guard let begun else { return }
        let (running, flag) = begun
        try? store.saveResearchRun(running)
        publish(running)
        let progress = ResearchProgress(id: id, flag: flag) { [self] fraction, extra in self.progressed(id: id, fraction: fraction, extra: extra) }
        let result = Result { try work(progress) }
        let removed = state.withLock { $0.active.removeValue(forKey: id) }
        var run = removed?.run ?? running
        run.finishedAt = Date()
        switch result {
        case .success(let outcome):
            run.summary = outcome.summary
            run.detail = outcome.detail
            run.report = outcome.report
            run.error = outcome.error
            if flag.isSet {
                run.status = .cancelled
                run.error = run.error ?? "cancelled"
            } else {
                run.status = outcome.error == nil ? .done : .failed
                if outcome.error == nil { run.progress = 1 }
            }
        case .failure(let error):
            run.status = flag.isSet ? .cancelled : .failed
            run.error = flag.isSet ? "cancelled" : String(describing: error)
        }
        do {
            try store.saveResearchRun(run)
        } catch {
            // The result could not be kept: say so in the run rather than lose the reason.
            run.status = .failed
            run.detail = .null
            run.report = nil
            run.error = "the result could not be saved: \(error)"
            try? store.saveResearchRun(run)
        }
        publish(run, extras: removed?.extras ?? [])
    }

    private func progressed(id: String, fraction: Double, extra: JSONValue?) {
        let now = ContinuousClock.now
        let due = state.withLock { state -> (event: ResearchRun?, extras: [JSONValue], save: ResearchRun?) in
            guard var active = state.active[id] else { return (nil, [], nil) }
            active.run.progress = max(active.run.progress, fraction)
            if let extra { active.extras.append(extra) }
            var result: (ResearchRun?, [JSONValue], ResearchRun?) = (nil, [], nil)
            if active.lastEvent.map({ now - $0 >= Self.eventInterval }) ?? true {
                active.lastEvent = now
                result.0 = active.run
                result.1 = active.extras
                active.extras = []
            }
            if now - active.lastSave >= Self.saveInterval {
                active.lastSave = now
                result.2 = active.run
            }
            state.active[id] = active
            return result
        }
        if let run = due.save { try? store.saveResearchRun(run) }
        if let run = due.event { publish(run, extras: due.extras) }
    }

    /// Publishes the run's `research` event; `extras` (those reported since the last event) as
    /// an `extra` array.
    private func publish(_ run: ResearchRun, extras: [JSONValue] = []) {
        var body = ResearchRunJSON.event(run)
        if !extras.isEmpty { body["extra"] = .array(extras) }
        events.publish([EngineEvent(instanceID: run.instanceID ?? "", payload: .research(.object(body)))])
    }
}
