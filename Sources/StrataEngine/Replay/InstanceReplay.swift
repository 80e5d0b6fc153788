import Foundation
import StrataRuntime

/// Rebuilds an instance as it was at a tick and hands it the journaled ticks that followed, on a
/// paper broker restored to that moment: with the version and config that ran live, the orders
/// and signals it makes are the ones it made live (`strata replay`); with another script or
/// config, they are what that change would have done. Runs on the caller's thread, in a
/// sandboxed state of its own.
public struct InstanceReplay {
    /// What to replay.
    public struct Request: Sendable {
        public var instanceID: String
        /// The first tick whose decisions are compared (nil: an hour before the journal's end).
        public var fromSeq: Int64?
        /// The last (nil: the journal's end).
        public var toSeq: Int64?
        /// Another script to run instead of the one that ran live.
        public var script: StrategyScript?
        /// Config fields to change over the instance's stored config (`null` resets one).
        public var configChanges: [String: JSONValue] = [:]
        /// The shared modules a stored version may require (the store keeps a version's own
        /// source only): the live version is rebuilt with those it loads.
        public var modules = ModuleOffer()

        public init(instanceID: String, fromSeq: Int64? = nil, toSeq: Int64? = nil, script: StrategyScript? = nil) {
            self.instanceID = instanceID
            self.fromSeq = fromSeq
            self.toSeq = toSeq
            self.script = script
        }
    }

    public let store: InstanceStore
    public var limits: StrategyLimits
    /// Ticks read from the journal at a time.
    static let page = 50_000

    public init(store: InstanceStore, limits: StrategyLimits = .standard) {
        self.store = store
        self.limits = limits
    }

    /// Runs the replay; `progress` is told how far it is, as (journal positions passed, of how
    /// many) — sequence numbers are engine-wide, so a market's ticks are a share of them.
    /// - Throws: ``ReplayError`` for what cannot be replayed (no such instance, no journal, a
    ///   version the store does not have, a config the script refuses); a script error while
    ///   replaying is not thrown but reported in the result.
    public func run(_ request: Request, progress: ((Int64, Int64) -> Void)? = nil) throws -> ReplayResult {
        guard let record = try store.instance(id: request.instanceID) else { throw ReplayError("no instance \(request.instanceID)") }
        let market = record.market
        let journalEnd = try store.tickSeq(market: market, atOrBefore: .infinity)
        guard let journalEnd else { throw ReplayError("no ticks of \(market) are journaled") }
        let toSeq = min(request.toSeq ?? journalEnd, journalEnd)
        let fromSeq = try request.fromSeq ?? defaultStart(market: market, end: journalEnd)
        guard fromSeq <= toSeq else { throw ReplayError("--from (tick \(fromSeq)) is after --to (tick \(toSeq))") }
        let snapshot = try store.snapshot(instanceID: record.id, atOrBefore: fromSeq)
        let liveScript = try liveVersion(of: record, snapshot: snapshot, modules: request.modules)
        let script = request.script ?? liveScript
        let config = try replayConfig(record, script: script, changes: request.configChanges)
        let broker = try restoredBroker(account: record.account, through: snapshot?.tickSeq ?? 0)
        let started = ContinuousClock.now
        var result = ReplayResult(
            instanceID: record.id, fromSeq: fromSeq, toSeq: toSeq, start: snapshot.map(ReplayResult.Start.init) ?? .initialize,
            version: script.version, liveVersion: liveScript.version)
        let instance: StrategyInstance
        do {
            instance = try StrategyInstance(
                identity: record.identity, script: script, mode: record.mode, config: config, broker: broker, limits: limits,
                restoring: snapshot?.saved)
        } catch {
            result.error = error
            return result
        }
        var after = snapshot?.tickSeq ?? 0
        var fromTime: Double?
        replaying: while after < toSeq {
            let ticks = try store.journaledTicks(market: market, after: after, through: toSeq, limit: Self.page)
            guard let last = ticks.last else { break }
            for tick in ticks {
                if fromTime == nil && tick.seq >= fromSeq { fromTime = tick.ts }
                broker.marketMoved(tick)
                do {
                    try instance.tick(tick)
                } catch {
                    result.error = error
                    break replaying
                }
                result.ticks += 1
            }
            after = last.seq
            progress?(after - (snapshot?.tickSeq ?? 0), toSeq - (snapshot?.tickSeq ?? 0))
        }
        result.elapsed = ContinuousClock.now - started
        let orders = broker.history + broker.allOpenOrders
        result.replay =
            orders.filter { $0.instanceID == record.id }.map(ReplayDecision.init(order:))
            + instance.signals.map { ReplayDecision(signal: SignalRecord($0)) }
        result.replay = result.replay.filter { (fromSeq...toSeq).contains($0.tickSeq) }.sorted(by: ReplayResult.order)
        result.logs = instance.log.lines.filter { $0.time >= fromTime ?? .infinity }
        result.live = try liveDecisions(of: record.id, from: fromSeq, to: toSeq)
        return result
    }

    /// An hour of market time before the journal's last tick of `market`.
    private func defaultStart(market: String, end: Int64) throws -> Int64 {
        guard let last = try store.journaledTicks(market: market, after: end - 1, through: end, limit: 1).first else { return end }
        let first = try store.journaledTicks(market: market, after: 0, through: nil, limit: 1).first?.seq ?? end
        return try store.tickSeq(market: market, atOrBefore: last.ts - 3600).map { $0 + 1 } ?? first
    }

    /// The script that ran live from the snapshot on (the snapshot's version), or the
    /// instance's current version.
    private func liveVersion(of record: InstanceRecord, snapshot: StateSnapshot?, modules: ModuleOffer) throws -> StrategyScript {
        let stored = try storedVersion(of: record, snapshot: snapshot)
        guard !modules.sources.isEmpty else { return stored }
        var offered = stored
        offered.modules = modules.sources
        offered.moduleFolder = modules.folder
        // Narrowed to what it loads: with the same modules, the same hash as the version stored.
        return (try? StrategyInstance.prepare(offered, identity: record.identity, limits: limits).script) ?? offered
    }

    private func storedVersion(of record: InstanceRecord, snapshot: StateSnapshot?) throws -> StrategyScript {
        let running = try store.status(instanceID: record.id)?.version
        if let hash = snapshot?.version ?? running, let version = try store.version(strategyType: record.strategyType, hash: hash) {
            return StrategyScript(name: record.strategyType, source: version.source, chunkName: "@\(record.strategyType).lua")
        }
        guard let newest = try store.versions(strategyType: record.strategyType).last else {
            throw ReplayError("no stored version of \(record.strategyType): run the instance in `strata serve` first")
        }
        return StrategyScript(name: record.strategyType, source: newest.source, chunkName: "@\(record.strategyType).lua")
    }

    private func replayConfig(_ record: InstanceRecord, script: StrategyScript, changes: [String: JSONValue]) throws -> [String: JSONValue] {
        guard !changes.isEmpty else { return record.config }
        let schema: ConfigSchema
        do {
            schema = try StrategyInstance.check(script, identity: record.identity, limits: limits)
        } catch {
            throw ReplayError("the script does not load: \(error.message)")
        }
        switch ConfigEdit.merge(changes, into: record.config, schema: schema) {
        case .success(let merged): return merged
        case .failure(let errors): throw ReplayError("invalid --config: \(errors.fields.map { "\($0.field): \($0.message)" }.joined(separator: "; "))")
        }
    }

    /// A paper broker as the live one stood after tick `seq`: every fill of the account's
    /// instances up to it booked again.
    private func restoredBroker(account: String, through seq: Int64) throws -> PaperBroker {
        let broker = PaperBroker(settings: .live)
        let identities = Dictionary(
            try store.instances().filter { $0.account == account }.map { ($0.id, $0.identity) }, uniquingKeysWith: { first, _ in first })
        for fill in try store.allOrdersAndFills().fills where (fill.tickSeq ?? 0) <= seq {
            guard let identity = identities[fill.instanceID] else { continue }
            broker.restore(
                fillOf: fill.orderID, for: identity, side: fill.side, quantity: fill.quantity, price: fill.price, fee: fill.fee, time: fill.time)
        }
        return broker
    }

    private func liveDecisions(of id: String, from: Int64, to: Int64) throws -> [ReplayDecision] {
        let orders = try store.orders(instanceID: id, limit: 10_000_000).map(ReplayDecision.init(order:))
        let signals = try store.signals(instanceID: id, limit: 10_000_000).map(ReplayDecision.init(signal:))
        return (orders + signals).filter { (from...to).contains($0.tickSeq) }.sorted(by: ReplayResult.order)
    }
}

/// Why a replay cannot run, as one sentence.
public struct ReplayError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
