import Foundation

/// What `strata check` does: load a script in the sandbox, run `init()`, feed it synthetic ticks
/// in active mode on a paper account, call `render()`, and report the first failure.
public struct StrategyCheck {
    public var script: StrategyScript
    public var config: [String: JSONValue]
    public var ticks: Int
    public var market: String
    public var limits: StrategyLimits
    /// Called before loading, before each tick (with the ticks done so far) and before
    /// rendering: a worker process reports its progress to its supervisor through it.
    public var progress: ((_ phase: String, _ ticks: Int) -> Void)?

    public init(
        script: StrategyScript, config: [String: JSONValue] = [:], ticks: Int = 1000,
        market: String = "TEST/USD", limits: StrategyLimits = .standard
    ) {
        self.script = script
        self.config = config
        self.ticks = ticks
        self.market = market
        self.limits = limits
    }

    /// Runs the check; never throws: a failing script is a report.
    public func run() -> StrategyCheckReport {
        var report = StrategyCheckReport(strategy: script.name, version: script.version)
        let start = ContinuousClock.now
        let identity = InstanceIdentity(id: "check", strategyType: script.name, account: "paper", market: market)
        let broker = PaperBroker()
        progress?("load", 0)
        do {
            let instance = try StrategyInstance(
                identity: identity, script: script, mode: .active, config: config,
                broker: broker, limits: limits)
            // Offered every module beside it, the version covers those the load required.
            report.version = script.keepingModules(instance.requiredModules).version
            exercise(instance, broker: broker, report: &report)
            report.orders = instance.ordersPlaced
            report.signals = instance.signalsRecorded
            report.memoryPeak = instance.memoryPeak
            report.logLines = instance.log.lines.count
        } catch {
            report.error = error
        }
        report.elapsed = ContinuousClock.now - start
        return report
    }

    /// Ticks, then render; stops at the first failure.
    private func exercise(_ instance: StrategyInstance, broker: PaperBroker, report: inout StrategyCheckReport) {
        var feed = RandomWalkFeed(market: market)
        for _ in 0..<ticks {
            guard let tick = feed.next() else { break }
            progress?("tick", report.ticks)
            broker.marketMoved(tick)
            do {
                try instance.tick(tick)
                report.ticks += 1
            } catch {
                report.error = error
                return
            }
        }
        progress?("render", report.ticks)
        do {
            let output = try instance.render()
            report.widgets = output["widgets"]?.arrayValue?.count ?? 0
        } catch {
            report.error = error
            return
        }
        // Whether the state survives a restart: saved, and restored in a fresh instance. A
        // state that cannot be is a warning (the engine restarts such an instance with init()).
        do {
            if let saved = try instance.savedState() {
                _ = try StrategyInstance(
                    identity: instance.identity, script: instance.script, mode: instance.mode, config: instance.config,
                    broker: PaperBroker(), limits: limits, restoring: saved)
                report.snapshotBytes = saved.bytes.count
            }
        } catch {
            report.snapshotError = error.message
        }
    }
}

/// The outcome of `StrategyCheck`.
public struct StrategyCheckReport: Sendable {
    public var strategy: String
    public var version: String
    public var ticks = 0
    public var orders = 0
    public var signals = 0
    public var widgets = 0
    public var logLines = 0
    public var memoryPeak = 0
    /// The size of the saved `state` after the ticks.
    public var snapshotBytes = 0
    /// Why the state could not be saved and restored (a warning: the check still passes).
    public var snapshotError: String?
    public var elapsed: Duration = .zero
    public var error: StrategyError?

    public init(strategy: String, version: String) {
        self.strategy = strategy
        self.version = version
    }

    public var ok: Bool { error == nil }

    /// The phase a failure belongs to, in `strata check`'s terms (load, init, tick, render).
    public var phase: String? {
        guard let error else { return nil }
        switch error.phase {
        case .load: return "load"
        case .`init`, .config: return "init"
        case .tick, .reload: return "tick"
        case .render, .save: return "render"
        }
    }

    /// The `--json` form (see `schemas/check-result.schema.json`).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "ok": .bool(ok), "ticks": .integer(Int64(ticks)), "orders": .integer(Int64(orders)),
            "signals": .integer(Int64(signals)), "strategy": .string(strategy), "version": .string(version),
            "memory_peak_bytes": .integer(Int64(memoryPeak)), "snapshot_bytes": .integer(Int64(snapshotBytes)),
            "elapsed_ms": .number((Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000).rounded()),
        ]
        if let snapshotError { object["snapshot_error"] = .string(snapshotError) }
        if let error, let phase {
            object["phase"] = .string(phase)
            var details: [String: JSONValue] = [
                "kind": .string(error.kind.rawValue), "message": .string(error.message),
                "line": error.line.map { .integer(Int64($0)) } ?? .null,
                "traceback": error.traceback.map(JSONValue.string) ?? .null,
            ]
            if !error.fieldErrors.isEmpty {
                details["fields"] = .array(error.fieldErrors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
            }
            object["error"] = .object(details)
        }
        return .object(object)
    }

    /// The readable form.
    public var summary: String {
        var lines: [String] = []
        if let error, let phase {
            lines.append("FAIL \(strategy) (\(phase)): \(error.kind.rawValue)")
            lines.append("  \(error.message)")
            for field in error.fieldErrors { lines.append("  - \(field.field): \(field.message)") }
            if let traceback = error.traceback { lines.append(traceback.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")) }
        } else {
            lines.append("ok \(strategy) (version \(version))")
        }
        lines.append("  ticks \(ticks), orders \(orders), signals \(signals), widgets \(widgets), log lines \(logLines), peak memory \(memoryPeak / 1024) KiB")
        if let snapshotError {
            lines.append("  warning: state is not kept across restarts (init() runs again): \(snapshotError)")
        } else if error == nil {
            lines.append("  saved state \(snapshotBytes) bytes")
        }
        return lines.joined(separator: "\n")
    }
}
