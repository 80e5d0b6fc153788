/// How much equity history is kept: a few tiers, each recording one point per interval of
/// engine time and keeping its points for a while, so a series has bounded resolution that
/// coarsens with age (a minute for two days, an hour for ninety, a day for ever).
public struct EquityHistoryPolicy: Sendable, Equatable {
    /// One resolution of the history.
    public struct Tier: Sendable, Equatable {
        /// Seconds between points: a point is recorded when engine time enters a new interval.
        public var interval: Int
        /// How long its points are kept, in seconds of engine time (nil: for ever).
        public var retention: Double?

        public init(interval: Int, retention: Double?) {
            self.interval = interval
            self.retention = retention
        }
    }

    /// Finest first, intervals strictly increasing.
    public let tiers: [Tier]
    /// The least engine time between two prunes.
    public let pruneInterval: Double

    /// The points the standard finest tier keeps (two days of minutes): a finer interval given
    /// on the command line keeps as many points, over a shorter time.
    public static let finestTierPoints = 2_880

    /// - Throws: ``EquityHistoryPolicyError`` naming the bad tier.
    public init(tiers: [Tier], pruneInterval: Double = 3_600) throws {
        guard !tiers.isEmpty else { throw EquityHistoryPolicyError("give at least one tier") }
        guard tiers.count <= 8 else { throw EquityHistoryPolicyError("give at most 8 tiers, got \(tiers.count)") }
        for (index, tier) in tiers.enumerated() {
            guard tier.interval >= 1, tier.interval <= 366 * 86_400 else {
                throw EquityHistoryPolicyError("tier \(index + 1): the interval must be 1 second to 366 days, got \(tier.interval)")
            }
            if let retention = tier.retention, !(retention.isFinite && retention >= Double(tier.interval)) {
                throw EquityHistoryPolicyError("tier \(index + 1): the retention must be at least its interval, got \(retention)")
            }
            if index > 0, tier.interval <= tiers[index - 1].interval {
                throw EquityHistoryPolicyError(
                    "tier \(index + 1): intervals must increase (finest first), \(tier.interval) follows \(tiers[index - 1].interval)")
            }
        }
        guard pruneInterval.isFinite, pruneInterval > 0 else {
            throw EquityHistoryPolicyError("the prune interval must be a positive number of seconds, got \(pruneInterval)")
        }
        self.tiers = tiers
        self.pruneInterval = pruneInterval
    }

    /// 60 s kept 2 days, 1 h kept 90 days, 1 d kept for ever; pruned once an hour.
    public static let standard = try! EquityHistoryPolicy(tiers: [
        Tier(interval: 60, retention: 2 * 86_400), Tier(interval: 3_600, retention: 90 * 86_400), Tier(interval: 86_400, retention: nil),
    ])

    /// The standard policy with the finest tier every `interval` seconds (`strata serve
    /// --equity-interval`), keeping ``finestTierPoints`` points of it.
    /// - Throws: when `interval` is not below an hour (the next tier's).
    public static func standard(finestInterval interval: Int) throws -> EquityHistoryPolicy {
        guard interval >= 1, interval < 3_600 else {
            throw EquityHistoryPolicyError("the finest equity interval must be 1 to 3599 seconds, got \(interval)")
        }
        var tiers = standard.tiers
        tiers[0] = Tier(interval: interval, retention: Double(interval * finestTierPoints))
        return try EquityHistoryPolicy(tiers: tiers)
    }

    /// The interval number of time `t` in `tier` (its bucket).
    public static func bucket(_ t: Double, interval: Int) -> Int64 {
        let value = (t / Double(interval)).rounded(.down)
        // Times outside ±2^62 s are not engine times; clamped rather than trapping.
        return Int64(max(-4.6e18, min(4.6e18, value)))
    }
}

/// A policy that cannot work, with the reason.
public struct EquityHistoryPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// When to record: the bucket each tier recorded last, and the earliest time at which any tier
/// enters a new one (so that a step that crosses nothing costs one comparison). A value type
/// with no I/O.
public struct EquityRecordingSchedule: Sendable, Equatable {
    public let policy: EquityHistoryPolicy
    /// The last bucket recorded per tier (nil: none yet since the engine started).
    public private(set) var recorded: [Int64?]
    /// The engine time from which ``due(at:)`` has something to say.
    public private(set) var nextDue = -Double.infinity
    /// The engine time of the last prune (nil: none yet).
    public private(set) var lastPrune: Double?

    public init(policy: EquityHistoryPolicy) {
        self.policy = policy
        self.recorded = Array(repeating: nil, count: policy.tiers.count)
    }

    /// The tiers (their intervals) whose current interval at `t` has no point yet; marks them
    /// recorded. Empty when nothing is due (a time going backwards is never due).
    public mutating func due(at t: Double) -> [Int] {
        guard t.isFinite, t >= nextDue else { return [] }
        var tiers: [Int] = []
        var next = Double.infinity
        for (index, tier) in policy.tiers.enumerated() {
            let bucket = EquityHistoryPolicy.bucket(t, interval: tier.interval)
            if recorded[index].map({ bucket > $0 }) ?? true {
                recorded[index] = bucket
                tiers.append(tier.interval)
            }
            next = min(next, Double(max(bucket, recorded[index] ?? bucket) + 1) * Double(tier.interval))
        }
        nextDue = next
        return tiers
    }

    /// Whether a prune is due at `t` (at most once per ``EquityHistoryPolicy/pruneInterval``);
    /// marks it done.
    public mutating func pruneDue(at t: Double) -> Bool {
        guard t.isFinite else { return false }
        if let lastPrune, t < lastPrune + policy.pruneInterval { return false }
        lastPrune = t
        return true
    }
}
