import StrataRuntime

/// Spreads tick delivery over worker threads. Each market's instances are split into one
/// contiguous share per worker, so one market's fan-out uses every core; a tick round (at most
/// `batch` ticks per market, in arrival order) runs the shares in parallel and returns when all
/// are done. Within a round each instance gets all of its market's ticks in one visit, while
/// its state is in the CPU's caches. A Lua state is touched by one thread at a time: its share's worker during a round,
/// the engine's thread between rounds. Small rounds run on the calling thread, where handing
/// work to other threads would cost more than it saves.
final class TickScheduler {
    let pool: WorkerPool
    /// Per worker: the instances of each market it ticks.
    private var shares: [[String: [InstanceSlot]]]
    /// Instances per market (for deciding whether a round is worth spreading).
    private var counts: [String: Int] = [:]
    /// Rounds with fewer deliveries than this run on the calling thread.
    static let parallelThreshold = 64

    /// The most ticks of one market in one round.
    let batch: Int

    init(workers: Int, batch: Int = 1) {
        pool = WorkerPool(size: workers)
        self.batch = max(1, batch)
        shares = Array(repeating: [:], count: pool.size)
    }

    /// Re-partitions `slots`: each market's instances, sorted by id, in `pool.size` contiguous shares.
    func assign(_ slots: [InstanceSlot]) {
        var next = Array(repeating: [String: [InstanceSlot]](), count: pool.size)
        let byMarket = Dictionary(grouping: slots, by: { $0.runtime.identity.market })
        counts = byMarket.mapValues(\.count)
        for (market, list) in byMarket {
            let sorted = list.sorted { $0.id < $1.id }
            let per = (sorted.count + pool.size - 1) / pool.size
            for (worker, start) in stride(from: 0, to: sorted.count, by: per).enumerated() {
                next[worker][market] = Array(sorted[start..<min(start + per, sorted.count)])
            }
        }
        shares = next
    }

    /// Splits `ticks` into rounds of at most `batch` ticks per market, order kept per market.
    static func rounds(_ ticks: [Tick], batch: Int = 1) -> [[Tick]] {
        var rounds: [[Tick]] = []
        var current: [Tick] = []
        var perMarket: [String: Int] = [:]
        for tick in ticks {
            if perMarket[tick.market, default: 0] == batch {
                rounds.append(current)
                current = []
                perMarket = [:]
            }
            perMarket[tick.market, default: 0] += 1
            current.append(tick)
        }
        if !current.isEmpty { rounds.append(current) }
        return rounds
    }

    /// Delivers one round to every instance of each tick's market.
    /// - Returns: the instances that failed during the round.
    func run(_ round: [Tick]) -> [InstanceSlot] {
        let deliveries = round.reduce(0) { $0 + (counts[$1.market] ?? 0) }
        guard deliveries > 0 else { return [] }
        let byMarket = Dictionary(grouping: round, by: \.market)
        let work = shares.map { share in RoundJob(share: share, ticks: byMarket) }
        if deliveries < Self.parallelThreshold || pool.size == 1 {
            for job in work { job.run() }
        } else {
            pool.run(work.map { job in { job.run() } })
        }
        return work.flatMap(\.failed)
    }
}

/// One worker's part of a round.
private final class RoundJob: @unchecked Sendable {
    let share: [String: [InstanceSlot]]
    /// The round's ticks by market, in arrival order.
    let ticks: [String: [Tick]]
    var failed: [InstanceSlot] = []

    init(share: [String: [InstanceSlot]], ticks: [String: [Tick]]) {
        self.share = share
        self.ticks = ticks
    }

    func run() {
        for (market, marketTicks) in ticks {
            guard let slots = share[market] else { continue }
            for slot in slots {
                for tick in marketTicks { slot.deliver(tick) }
                if slot.failure != nil { failed.append(slot) }
            }
        }
    }
}
