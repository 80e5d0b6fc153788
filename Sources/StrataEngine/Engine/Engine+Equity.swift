import StrataRuntime

/// Where the engine's equity history stands: the schedule of its tiers, engine time, and what a
/// restart must not write again.
struct EquityCursor {
    var schedule = EquityRecordingSchedule(policy: .standard)
    /// The newest tick time handed to the instances (engine time; nil before the first tick).
    var engineTime: Double?
    /// Every owned instance's identity as of the last reconcile (off ones too: their positions
    /// still count in their account's equity).
    var identities: [String: InstanceIdentity] = [:]
    /// The bucket of each scope/name/tier's newest stored point, read at the first record after
    /// a start (nil: not read yet); emptied once every tier is past them.
    var resume: [ResumeKey: Int64]?
    /// The latest stored bucket per tier (index of the policy's tier), for emptying ``resume``.
    var resumeHorizon: [Int: Int64] = [:]
    /// After a failed read of ``resume``, the engine time before which it is not tried again
    /// (a store that is down is not asked at every step).
    var resumeRetryAt = -Double.infinity

    struct ResumeKey: Hashable {
        var scope: EquityScope
        var name: String
        var tier: Int
    }
}

extension Engine {
    /// The equity history's tiers; setting it starts its schedule over (set it before the loop
    /// starts: `strata serve --equity-interval`).
    public var equityPolicy: EquityHistoryPolicy {
        get { equity.schedule.policy }
        set {
            equity.schedule = EquityRecordingSchedule(policy: newValue)
            // Read again for the new tiers at the next record.
            equity.resume = nil
            equity.resumeHorizon = [:]
        }
    }

    /// Records a point of every running instance and of every account with running instances
    /// for each tier whose interval engine time has just entered, and prunes at most once per
    /// hour of engine time. Called by the loop after each ``flushActivity()``: a step that
    /// crosses no interval costs one comparison. The write happens in the background; one
    /// that fails is counted (``EngineHealth/Problem/equityWrite``) and retried with the next
    /// points. Never throws.
    public func recordEquity() {
        guard let now = equity.engineTime, now >= equity.schedule.nextDue else { return }
        if equity.resume == nil {
            // After a start: what is stored already is not written again (same bucket).
            guard now >= equity.resumeRetryAt else { return }
            do {
                equity.resume = try resumeBuckets()
            } catch {
                counters.record(.equityWrite, "reading where the equity history stands: \(error)")
                equity.resumeRetryAt = now + Double(equity.schedule.policy.tiers[0].interval)
                return
            }
        }
        let tiers = equity.schedule.due(at: now)
        guard !tiers.isEmpty else { return }
        var points = equityPoints(at: now, tiers: tiers).filter { $0.problem == nil }
        if let resume = equity.resume, !resume.isEmpty {
            points.removeAll { point in
                guard let stored = resume[.init(scope: point.scope, name: point.name, tier: point.tier)] else { return false }
                return EquityHistoryPolicy.bucket(now, interval: point.tier) <= stored
            }
            let policy = equity.schedule.policy
            let past = equity.resumeHorizon.allSatisfy { index, bucket in
                EquityHistoryPolicy.bucket(now, interval: policy.tiers[index].interval) > bucket
            }
            if past { equity.resume = [:] }
        }
        let prune = equity.schedule.pruneDue(at: now) ? now : nil
        equityWriter.submit(points, pruneAt: prune, store: store, policy: equity.schedule.policy, counters: counters)
    }

    /// Waits until the equity writes queued so far are done (tests).
    public func waitForEquityWrites() {
        equityWriter.wait()
    }

    /// Tries once more to write the points still pending, and waits (the loop's stop).
    public func flushEquity() {
        equityWriter.submit([], pruneAt: nil, store: store, policy: equity.schedule.policy, counters: counters)
        equityWriter.wait()
    }

    /// Keeps the owned instances' identities for the accounts' equity (each reconcile).
    func learnIdentities(_ records: [InstanceRecord]) {
        if equity.identities.count != records.count || records.contains(where: { equity.identities[$0.id] == nil }) {
            equity.identities = Dictionary(records.map { ($0.id, $0.identity) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Moves engine time to the newest of `ticks` (never back).
    func advanceEngineTime(_ ticks: [Tick]) {
        guard let newest = ticks.lazy.map(\.ts).filter(\.isFinite).max() else { return }
        equity.engineTime = max(equity.engineTime ?? newest, newest)
    }

    /// The points of every running instance and of the accounts they trade through, at `t`.
    func equityPoints(at t: Double, tiers: [Int]) -> [EquityPoint] {
        var points: [EquityPoint] = []
        var accounts = Set<String>()
        for instance in instances.values {
            guard let identity = instance.runtime?.identity else { continue }
            accounts.insert(identity.account)
            let price = lastPrices[identity.market]
            let book = broker.book(for: identity.id)
            let equity = broker.baseCash(of: identity.account) + book.pnl(at: price)
            for tier in tiers {
                points.append(
                    EquityPoint(
                        scope: .instance, name: identity.id, tier: tier, t: t, equity: equity, position: book.position,
                        realised: book.realised, fees: book.fees, price: price))
            }
        }
        // A cluster node sees only its own instances' books: an account's equity needs all nodes'.
        guard cluster == nil, !accounts.isEmpty else { return points }
        var value: [String: (positions: Double, gross: Double, realised: Double, fees: Double)] = [:]
        for identity in equity.identities.values where accounts.contains(identity.account) {
            let book = broker.book(for: identity.id)
            let price = lastPrices[identity.market] ?? book.averagePrice
            var sums = value[identity.account] ?? (0, 0, 0, 0)
            sums.positions += book.position * price
            sums.gross += abs(book.position * price)
            sums.realised += book.realised
            sums.fees += book.fees
            value[identity.account] = sums
        }
        for account in accounts.sorted() {
            let sums = value[account] ?? (0, 0, 0, 0)
            let equity = broker.cash(of: account) + sums.positions
            for tier in tiers {
                points.append(
                    EquityPoint(
                        scope: .account, name: account, tier: tier, t: t, equity: equity, position: sums.gross, realised: sums.realised,
                        fees: sums.fees))
            }
        }
        return points
    }

    /// The bucket of each scope/name/tier's newest stored point, and the newest per tier.
    private func resumeBuckets() throws -> [EquityCursor.ResumeKey: Int64] {
        var buckets: [EquityCursor.ResumeKey: Int64] = [:]
        let tiers = equity.schedule.policy.tiers
        equity.resumeHorizon = [:]
        for point in try store.latestEquityPoints() {
            guard let index = tiers.firstIndex(where: { $0.interval == point.tier }) else { continue }
            let bucket = EquityHistoryPolicy.bucket(point.t, interval: point.tier)
            buckets[.init(scope: point.scope, name: point.name, tier: point.tier)] = bucket
            equity.resumeHorizon[index] = max(equity.resumeHorizon[index] ?? bucket, bucket)
        }
        return buckets
    }
}
