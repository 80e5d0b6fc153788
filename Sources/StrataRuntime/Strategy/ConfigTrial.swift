/// A config tried on a scratch copy of an instance before it is stored: a config that passes the
/// schema can still break the script (`fast` above `slow`, a window the script divides by), and
/// storing it would put the live instance in `error`. The CLI and the HTTP API run this before
/// they write; the engine never sees a config that failed here.
///
/// The copy is a fresh sandboxed state with the same script, identity, mode and limits, trading
/// on a scratch paper broker (nothing reaches the instance's account). For an existing instance
/// it replays the live path: load with the stored config, a few synthetic ticks, then the new
/// config through `on_config(old)` (or `init()` again when the script has no `on_config`) and a
/// few more ticks. A new instance loads with the config and gets the ticks.
public struct ConfigTrial {
    public var script: StrategyScript
    public var identity: InstanceIdentity
    public var mode: InstanceMode
    /// The config the instance runs now; nil for an instance being created.
    public var current: [String: JSONValue]?
    /// The config to try (already validated against the schema).
    public var proposed: [String: JSONValue]
    /// Synthetic ticks before and after the change.
    public var ticks: Int
    public var limits: StrategyLimits

    public init(
        script: StrategyScript, identity: InstanceIdentity, mode: InstanceMode, current: [String: JSONValue]?,
        proposed: [String: JSONValue], ticks: Int = 20, limits: StrategyLimits = .standard
    ) {
        self.script = script
        self.identity = identity
        self.mode = mode
        self.current = current
        self.proposed = proposed
        self.ticks = ticks
        self.limits = limits
    }

    /// Runs the trial; never throws.
    /// - Returns: nil when the script takes the config, else its error (with the traceback).
    public func run() -> StrategyError? {
        let broker = PaperBroker()
        var feed = RandomWalkFeed(market: identity.market)
        // An instance that is off would load in observe mode when switched on.
        let mode = self.mode == .off ? .observe : self.mode
        do {
            let instance: StrategyInstance
            if let current,
                let running = try? StrategyInstance(
                    identity: identity, script: script, mode: mode, config: current, broker: broker, limits: limits)
            {
                // The stored config is not on trial: if it no longer loads, only the fresh load
                // with the proposed one below says whether the change is safe.
                instance = running
                try feedTicks(instance, broker: broker, feed: &feed)
                try instance.reconfigure(proposed)
            } else {
                instance = try StrategyInstance(
                    identity: identity, script: script, mode: mode, config: proposed, broker: broker, limits: limits)
            }
            try feedTicks(instance, broker: broker, feed: &feed)
            return nil
        } catch {
            return error
        }
    }

    private func feedTicks(_ instance: StrategyInstance, broker: PaperBroker, feed: inout RandomWalkFeed) throws(StrategyError) {
        for _ in 0..<ticks {
            guard let tick = feed.next() else { return }
            broker.marketMoved(tick)
            try instance.tick(tick)
        }
    }
}

extension StrategyError {
    /// One sentence for a refused config: what failed, where, and the script's message.
    public var trialSummary: String {
        "the script fails with this config (\(kind.rawValue) in \(phase.functionName)): \(message)"
    }
}
