import StrataIsolation
import StrataRuntime

/// One worker's part of a round: its conversation, run on a thread of the fleet's pool.
private final class RoundConversation: @unchecked Sendable {
    let worker: Int
    let host: WorkerHost
    let request: HostRequest
    var result: Result<HostReply, WorkerDeath>?

    init(worker: Int, host: WorkerHost, request: HostRequest) {
        self.worker = worker
        self.host = host
        self.request = request
    }
}

extension WorkerFleet {
    /// Delivers one round (at most a batch of ticks per market) to every remote instance of the
    /// ticks' markets: one request per worker that hosts any, all workers at once. A worker that
    /// dies is replaced and its surviving instances get the round again in the new one.
    func run(_ round: [Tick]) -> FleetOutcome {
        var outcome = takeOutcome()
        let byMarket = Dictionary(grouping: round, by: \.market)
        collectChangedViews()
        if marketsStale { indexMarkets() }
        var conversations: [RoundConversation] = []
        for (worker, host) in hosts.enumerated() {
            guard let host, byMarket.keys.contains(where: { markets[worker][$0] != nil }) else { continue }
            conversations.append(RoundConversation(worker: worker, host: host, request: .round(ticks: round, views: takeViews(for: worker))))
        }
        guard !conversations.isEmpty else { return outcome }
        let jobs = conversations.map { conversation in
            {
                conversation.result = conversation.host.converse(conversation.request) { question in
                    self.answer(question, worker: conversation.worker, round: byMarket)
                }
            }
        }
        if jobs.count == 1 { jobs[0]() } else { pool.run(jobs) }
        for conversation in conversations {
            outcome.merge(settle(conversation.result!, worker: conversation.worker, round: round, byMarket: byMarket))
        }
        return outcome
    }

    /// Takes one worker's answer to a round: counts ticks, keeps failures and activity; or
    /// replaces a dead worker and gives its survivors the round again.
    private func settle(_ result: Result<HostReply, WorkerDeath>, worker: Int, round: [Tick], byMarket: [String: [Tick]], attempt: Int = 0)
        -> FleetOutcome
    {
        var outcome = FleetOutcome()
        switch result {
        case .success(.roundDone(let done)):
            let failed = Dictionary(done.failures.map { ($0.slot, $0) }, uniquingKeysWith: { first, _ in first })
            for (market, ticks) in byMarket {
                for instance in markets[worker][market] ?? [] {
                    if let failure = failed[instance.slot] {
                        instance.ticksProcessed += max(0, min(failure.ticks, ticks.count))
                        outcome.failed.append((instance, failure.strategyError))
                        instances[instance.slot] = nil
                        hosts[worker]?.slots.remove(instance.slot)
                    } else {
                        instance.ticksProcessed += ticks.count
                        instance.clock = ticks[ticks.count - 1].ts
                        instance.lastPrice = ticks[ticks.count - 1].price
                    }
                }
            }
            absorbActivity(done, worker: worker)
        case .success:
            hosts[worker]?.process.kill()
            outcome.merge(
                replace(worker, after: WorkerDeath(culprit: nil, failure: .unavailable("the worker answered a round with something else")), culprit: nil))
        case .failure(let death):
            outcome.merge(replace(worker, after: death, culprit: death.culprit))
            if marketsStale { indexMarkets() }
            guard let host = hosts[worker], attempt < Self.maxReplacements else { break }
            // The new worker's instances start from `init()` and get this round's ticks.
            let views = broker.withBroker { paper in host.slots.compactMap { instances[$0] }.map { Self.view(of: $0, in: paper) } }
            let again = host.converse(.round(ticks: round, views: views)) { question in
                self.answer(question, worker: worker, round: byMarket)
            }
            outcome.merge(settle(again, worker: worker, round: round, byMarket: byMarket, attempt: attempt + 1))
        }
        return outcome
    }

    /// Takes the log lines and signals a worker reported for its own instances.
    func absorbActivity(_ done: HostRoundResult, worker: Int) {
        for lines in done.logs { instances[lines.slot].map { $0.worker == worker ? $0.absorb(lines: lines) : () } }
        for signals in done.signals { instances[signals.slot].map { $0.worker == worker ? $0.absorb(signals: signals) : () } }
    }

    /// Rebuilds each worker's instances by market.
    func indexMarkets() {
        var next = Array(repeating: [String: [RemoteInstance]](), count: hosts.count)
        for instance in instances.values.sorted(by: { $0.slot < $1.slot }) {
            next[instance.worker][instance.identity.market, default: []].append(instance)
        }
        markets = next
        marketsStale = false
    }

    /// Queues the views that changed since they were last queued, per worker, until a request
    /// to that worker carries them. The paper broker's counters say whether anything could have
    /// changed; only then is every view computed and compared.
    func collectChangedViews() {
        broker.withBroker { paper in
            let mark = (fills: paper.fillCount, orders: paper.nextOrderNumber, open: paper.allOpenOrders.count)
            guard mark != brokerMark else { return }
            brokerMark = mark
            for instance in instances.values {
                let view = Self.view(of: instance, in: paper)
                if view != instance.sentView {
                    instance.sentView = view
                    pendingViews[instance.worker, default: [:]][instance.slot] = view
                }
            }
        }
    }

    /// The queued views of one worker's instances (still hosted), now taken.
    func takeViews(for worker: Int) -> [HostView] {
        guard let views = pendingViews.removeValue(forKey: worker) else { return [] }
        return views.values.filter { instances[$0.slot]?.worker == worker }
    }

    /// Asks every worker for its instances' memory and timing (before a status save).
    func refreshStats() {
        for (worker, host) in hosts.enumerated() {
            guard let host, !host.slots.isEmpty else { continue }
            switch host.converse(.stats, broker: { _ in nil }) {
            case .success(.stats(let stats)):
                for stat in stats {
                    guard let instance = instances[stat.slot], instance.worker == worker else { continue }
                    instance.memoryUsed = stat.memory
                    instance.cpuSeconds = stat.cpuSeconds
                    instance.latencyP50 = stat.p50
                    instance.latencyP99 = stat.p99
                }
            case .success:
                continue
            case .failure(let death):
                pendingOutcome.merge(replace(worker, after: death, culprit: death.culprit))
            }
        }
    }
}
