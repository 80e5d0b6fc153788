import Foundation
import StrataIsolation
import StrataRuntime

/// The worker processes that host the instances of `strata serve --isolation process`, and the
/// supervisor of each: instances are spread over the workers, a tick round is one request per
/// worker (all of them at once, one engine thread each), and a worker that crashes or wedges
/// is replaced at once — the instance whose call it was fails with the cause, the others are
/// loaded again in the new worker and get the round's ticks, so they miss none. Owned by the
/// engine's thread.
final class WorkerFleet {
    let options: WorkerFleetOptions
    let limits: StrategyLimits
    let broker: SharedBroker
    var hosts: [WorkerHost?]
    /// Every remote instance, by slot.
    var instances: [Int: RemoteInstance] = [:] {
        didSet { marketsStale = true }
    }
    /// Per worker, its instances by market (rebuilt after instances change).
    var markets: [[String: [RemoteInstance]]] = []
    var marketsStale = true
    private var nextSlot = 0
    let pool: WorkerPool
    /// The broker's change counters when views were last sent (see ``changedViews()``).
    var brokerMark: (fills: Int, orders: Int, open: Int) = (-1, -1, -1)
    /// Views changed since they were sent, by worker and slot (see ``collectChangedViews()``).
    var pendingViews: [Int: [Int: HostView]] = [:]
    /// Replacements of one worker in a row before the instances it hosted are failed.
    static let maxReplacements = 3
    /// Where an instance reloaded in a new worker resumes (set by the engine; nil: `init()`).
    var resume: ((InstanceIdentity) -> ResumePoint?)?

    init(options: WorkerFleetOptions, limits: StrategyLimits, broker: SharedBroker) {
        self.options = options
        self.limits = limits
        self.broker = broker
        self.hosts = Array(repeating: nil, count: options.workers)
        self.pool = WorkerPool(size: options.workers)
    }

    /// Live worker processes (started lazily).
    var liveWorkers: Int { hosts.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// Ends every worker (they are killed: their instances' state is in their processes only).
    func stop() {
        hosts = Array(repeating: nil, count: options.workers)
    }

    // MARK: Loading

    /// Loads instances, each in the least busy worker.
    /// - Returns: the loaded ones and what failed (an `init()` error, or a crash it caused).
    func load(
        _ requests: [(identity: InstanceIdentity, script: StrategyScript, mode: InstanceMode, config: [String: JSONValue], resume: ResumePoint?)]
    )
        -> (loaded: [RemoteInstance], outcome: FleetOutcome)
    {
        var perWorker = Array(repeating: [RemoteInstance](), count: hosts.count)
        var counts = hostCounts()
        for request in requests {
            let worker = counts.indices.min { counts[$0] < counts[$1] } ?? 0
            counts[worker] += 1
            let instance = RemoteInstance(
                identity: request.identity, script: request.script, mode: request.mode, config: request.config, slot: nextSlot,
                worker: worker, fleet: self, logCapacity: limits.logCapacity)
            instance.resume = request.resume
            nextSlot += 1
            perWorker[worker].append(instance)
        }
        var outcome = FleetOutcome()
        var loaded: [RemoteInstance] = []
        for (worker, batch) in perWorker.enumerated() where !batch.isEmpty {
            let (ok, more) = place(batch, in: worker)
            loaded += ok
            outcome.merge(more)
        }
        return (loaded, outcome)
    }

    /// Loads `batch` into worker `worker` (starting it if needed); a crash during the loads
    /// fails the instance whose `init()` it was and tries the rest again in a new worker.
    private func place(_ batch: [RemoteInstance], in worker: Int, attempt: Int = 0) -> ([RemoteInstance], FleetOutcome) {
        var outcome = FleetOutcome()
        let host: WorkerHost
        switch self.host(worker) {
        case .success(let started): host = started
        case .failure(let death):
            outcome.failed = batch.map { ($0, death.failure.error(in: .load)) }
            return ([], outcome)
        }
        let scripts = Dictionary(batch.map { ($0.script.version, $0.script) }, uniquingKeysWith: { first, _ in first })
        let missing = scripts.filter { !host.scripts.contains($0.key) }
        let views = broker.withBroker { paper in batch.map { Self.view(of: $0, in: paper) } }
        let request = HostRequest.load(scripts: missing.values.map(HostScript.init), instances: zip(batch, views).map { $0.loadRequest(view: $1) })
        switch host.converse(request, broker: { self.answer($0, worker: worker, round: [:]) }) {
        case .success(.loaded(let failures, let notes)):
            host.scripts.formUnion(missing.keys)
            let failedSlots = Set(failures.map(\.slot))
            for failure in failures {
                if let instance = batch.first(where: { $0.slot == failure.slot }) { outcome.failed.append((instance, failure.strategyError)) }
            }
            let noted = Set(notes.map(\.slot))
            for note in notes {
                if let instance = batch.first(where: { $0.slot == note.slot }) {
                    outcome.notes.append((instance, InstanceStatus.Failure(message: note.strategyError.message, kind: StrategyError.Kind.snapshot.rawValue)))
                }
            }
            let ok = batch.filter { !failedSlots.contains($0.slot) }
            for instance in ok {
                instance.resumed = instance.resume != nil && !noted.contains(instance.slot)
                if instance.resumed, let resume = instance.resume, let note = Engine.catchUpNote(caught: resume.ticks.count, of: resume) {
                    outcome.notes.append((instance, note))
                }
                instance.resume = nil
                instance.sentView = views[batch.firstIndex { $0 === instance }!]
                instances[instance.slot] = instance
                host.slots.insert(instance.slot)
            }
            return (ok, outcome)
        case .success:
            hosts[worker] = nil
            outcome.failed = batch.map { ($0, WorkerFailure.unavailable("the worker answered a load with something else").error(in: .load)) }
            return ([], outcome)
        case .failure(let death):
            // The worker is gone with every instance it held: those come back in a new worker.
            var rest = batch
            if let culprit = death.culprit, let index = rest.firstIndex(where: { $0.slot == culprit }) {
                let instance = rest.remove(at: index)
                let error = death.failure.error(in: .`init`)
                outcome.failed.append((instance, error))
                outcome.crashes.append((instance.script.version, instance.identity.id, error))
            }
            let recovered = replace(worker, after: death, culprit: death.culprit, attempt: attempt)
            outcome.merge(recovered)
            guard attempt < Self.maxReplacements, !rest.isEmpty else {
                outcome.failed += rest.map { ($0, death.failure.error(in: .`init`)) }
                return ([], outcome)
            }
            let (ok, more) = place(rest, in: worker, attempt: attempt + 1)
            outcome.merge(more)
            return (ok, outcome)
        }
    }

    /// Forgets an instance (failed or unloaded) and tells its worker to drop it.
    func unload(_ instance: RemoteInstance) {
        guard instances.removeValue(forKey: instance.slot) != nil else { return }
        guard let host = hosts[instance.worker] else { return }
        host.slots.remove(instance.slot)
        if case .failure(let death) = host.converse(.unload(slots: [instance.slot]), broker: { _ in nil }) {
            pendingOutcome.merge(replace(instance.worker, after: death, culprit: nil))
        }
    }

    /// What happened outside a round that the engine has not taken yet (see ``takeOutcome()``).
    var pendingOutcome = FleetOutcome()

    /// Takes what happened outside rounds (a worker that died during a mode change, an unload).
    func takeOutcome() -> FleetOutcome {
        defer { pendingOutcome = FleetOutcome() }
        return pendingOutcome
    }

    // MARK: Workers

    private func host(_ worker: Int) -> Result<WorkerHost, WorkerDeath> {
        if let host = hosts[worker] { return .success(host) }
        do {
            let host = try WorkerHost.start(executable: options.executable, confinement: options.confinement, limits: limits, faults: options.faults)
            hosts[worker] = host
            return .success(host)
        } catch {
            return .failure(error)
        }
    }

    private func hostCounts() -> [Int] {
        var counts = Array(repeating: 0, count: hosts.count)
        for instance in instances.values { counts[instance.worker] += 1 }
        return counts
    }

    /// Replaces a dead worker: a new process loads again every instance the old one hosted
    /// except `culprit` (their `init()` runs again).
    func replace(_ worker: Int, after death: WorkerDeath, culprit: Int?, attempt: Int = 0) -> FleetOutcome {
        let old = hosts[worker]
        hosts[worker] = nil
        var outcome = FleetOutcome()
        outcome.replacedWorkers = 1
        let survivors = (old?.slots ?? []).filter { $0 != culprit }.compactMap { instances[$0] }.sorted { $0.slot < $1.slot }
        if let culprit, let instance = instances.removeValue(forKey: culprit) {
            let error = death.failure.error(in: .tick)
            outcome.failed.append((instance, error))
            outcome.crashes.append((instance.script.version, instance.identity.id, error))
        }
        for instance in survivors {
            instances[instance.slot] = nil
            instance.resume = resume?(instance.identity)
        }
        guard !survivors.isEmpty else { return outcome }
        let cause = Self.describe(death)
        let (ok, more) = place(survivors, in: worker, attempt: attempt + 1)
        outcome.merge(more)
        outcome.restarted += ok.map { ($0, cause) }
        return outcome
    }

    static func describe(_ death: WorkerDeath) -> String {
        death.failure.error(in: .tick).message
    }

    // MARK: Broker

    /// Answers a worker's order or cancel, after checking that the instance is one of that
    /// worker's and that the price is one the engine delivered to it.
    func answer(_ question: HostReply, worker: Int, round: [String: [Tick]]) -> HostBrokerAnswer? {
        switch question {
        case .order(let order):
            guard let instance = instances[order.slot], instance.worker == worker else { return nil }
            let delivered = (round[instance.identity.market] ?? []).contains { $0.price == order.price && $0.ts == order.time }
            let previous = order.price == instance.lastPrice && order.time == instance.clock
            guard order.price == nil || delivered || previous else {
                return broker.withBroker {
                    HostBrokerAnswer(order: nil, rejection: "refused: a price the engine did not deliver", view: Self.view(of: instance, in: $0))
                }
            }
            let result = broker.placeOrder(order.request, for: instance.identity, price: order.price, time: order.time)
            return broker.withBroker { paper in
                switch result {
                case .success(let placed): return HostBrokerAnswer(order: placed, rejection: nil, view: Self.view(of: instance, in: paper))
                case .failure(let rejection):
                    return HostBrokerAnswer(order: nil, rejection: rejection.reason, view: Self.view(of: instance, in: paper), rule: rejection.rule)
                }
            }
        case .cancel(let slot, let id):
            guard let instance = instances[slot], instance.worker == worker else { return nil }
            let result = broker.cancelOrder(id: id, for: instance.identity)
            return broker.withBroker { paper in
                switch result {
                case .success: return HostBrokerAnswer(order: nil, rejection: nil, view: Self.view(of: instance, in: paper))
                case .failure(let rejection): return HostBrokerAnswer(order: nil, rejection: rejection.reason, view: Self.view(of: instance, in: paper))
                }
            }
        default:
            return nil
        }
    }

    /// What `instance` may read of `paper` now.
    static func view(of instance: RemoteInstance, in paper: PaperBroker) -> HostView {
        let book = paper.book(for: instance.identity.id)
        return HostView(
            slot: instance.slot, position: book.position, averagePrice: book.averagePrice, realised: book.realised, fees: book.fees,
            cash: paper.cash(of: instance.identity.account), orders: paper.openOrders(for: instance.identity))
    }
}
