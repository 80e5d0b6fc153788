import ArgumentParser
import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime

/// `strata replay INSTANCE`: a live instance's decisions, made again from its journal.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay an instance from its saved state and the tick journal, and compare with what it did live.",
        discussion: """
            The instance is rebuilt from its newest snapshot at or before --from (or with init() from the \
            journal's first tick when there is none) on a paper broker restored to that tick, and gets the \
            journaled ticks up to --to. With the version and config that ran live, its orders and signals \
            on --from...--to are the ones it made live; with --file or --config, the differences are what \
            that change would have done. TIME and SEQ: seq:N or a number below 1e9 is a tick sequence \
            number; an ISO 8601 time (2026-12-05T10:02:07Z) or a larger number (Unix seconds) is a time. \
            Default: the last hour of the journal. Not replayed: config changes made during the window, \
            fills of the account's other instances after the snapshot, limit orders resting from before \
            it. The script runs in this process (like `backtest --isolation none`). Exit status: 0 replayed (identical or not); 1 it cannot be \
            replayed or the script failed; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The instance id.")
    var id: String

    @Option(help: "The first tick compared: TIME or SEQ (default: an hour before the journal's end).")
    var from: String?

    @Option(help: "The last tick: TIME or SEQ (default: the journal's end).")
    var to: String?

    @Option(help: "Replay this script instead of the version that ran live.")
    var file: String?

    @Option(help: "Config changes over the instance's config, as a JSON object (null resets a field).")
    var config: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        let record = options.requireInstance(id, in: store, json: json)
        var request = InstanceReplay.Request(instanceID: id)
        request.fromSeq = bound(from, option: "--from", market: record.market, store: store, after: true)
        request.toSeq = bound(to, option: "--to", market: record.market, store: store, after: false)
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { failUsage("--file: cannot read \(file)") }
            request.script = StrategyScript.file(URL(fileURLWithPath: file), name: record.strategyType, source: String(decoding: data, as: UTF8.self))
        }
        let modules = ModuleFolder.beside(strategies: URL(fileURLWithPath: options.strategies))
        request.modules = ModuleOffer(sources: modules.sources(maxBytes: StrategyLimits.standard.maxSourceBytes), folder: modules.displayName)
        if let config {
            guard case .object(let changes)? = JSONValue(parsing: config) else { failUsage("--config must be a JSON object, got \(config)") }
            request.configChanges = changes
        }
        var progress: ProgressBar?
        let result: ReplayResult
        do {
            result = try InstanceReplay(store: store).run(request) { done, total in
                if progress == nil { progress = ProgressBar(total: Int(total), enabled: !json, unit: "journal positions") }
                progress?.update(Int(done))
            }
        } catch {
            progress?.finish()
            InstanceFailure.exit("cannot replay \(id): \(error)", json: json)
        }
        progress?.finish()
        print(json ? result.json.encoded() : ReplayReport.text(result))
        if result.error != nil { throw ExitCode(1) }
    }

    /// A TIME or SEQ option as a tick sequence number (a time: the first tick at or after it for
    /// --from, the last at or before it for --to).
    private func bound(_ text: String?, option: String, market: String, store: any InstanceStore, after: Bool) -> Int64? {
        guard let text else { return nil }
        let seqText = text.hasPrefix("seq:") ? String(text.dropFirst(4)) : text
        if let seq = Int64(seqText), seq >= 0, text.hasPrefix("seq:") || seq < 1_000_000_000 { return seq }
        guard let time = Double(text) ?? ISO8601DateFormatter().date(from: text)?.timeIntervalSince1970 else {
            failUsage("\(option) must be seq:N, a tick number, an ISO 8601 time or Unix seconds, got '\(text)'")
        }
        // --from: the first tick at or after `time`, i.e. the one after the last tick before it.
        let last = options.perform(json: json) { try store.tickSeq(market: market, atOrBefore: after ? time.nextDown : time) }
        return after ? (last ?? 0) + 1 : last ?? 0
    }
}

/// The human-readable form of a replay.
enum ReplayReport {
    static func text(_ result: ReplayResult) -> String {
        var lines: [String] = []
        let start: String
        switch result.start {
        case .snapshot(let seq, let takenAt, _): start = "the snapshot after tick \(seq) (\(CLIDate.text(takenAt)))"
        case .initialize: start = "init() at the journal's first tick (no snapshot that early)"
        }
        lines.append("replayed \(result.instanceID) ticks \(result.fromSeq)...\(result.toSeq) from \(start)")
        let version =
            result.version == result.liveVersion ? "the live version" : "version \(result.version.prefix(12)) (live: \(result.liveVersion.prefix(12)))"
        lines.append(
            "  \(result.ticks) ticks in \(String(format: "%.3f", result.elapsedSeconds)) s (\(Int(result.ticksPerSecond)) ticks/s), \(version)")
        lines.append("  live: \(count(result.live)); replay: \(count(result.replay))")
        if let error = result.error {
            lines.append("  the script failed: \(error.kind.rawValue): \(error.message)")
            if let traceback = error.traceback { lines.append(traceback) }
        }
        let differences = result.differences
        if differences.isEmpty {
            lines.append(result.error == nil ? "identical: every order and signal as live" : "identical up to the failure")
        } else {
            lines.append("\(differences.count) tick(s) differ:")
            lines.append(row(["tick", "side", "kind", "qty", "type", "price", "outcome", "fill"]))
            for difference in differences {
                for decision in difference.onlyLive { lines.append(row(describe(decision, "live", difference.tickSeq))) }
                for decision in difference.onlyReplay { lines.append(row(describe(decision, "replay", difference.tickSeq))) }
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func count(_ decisions: [ReplayDecision]) -> String {
        let orders = decisions.filter { $0.kind == .order }.count
        return "\(orders) orders, \(decisions.count - orders) signals"
    }

    private static func describe(_ decision: ReplayDecision, _ who: String, _ seq: Int64) -> [String] {
        [
            "\(seq) \(who)", decision.side.rawValue, decision.kind.rawValue, "\(decision.quantity)", decision.type.rawValue,
            decision.price.map { "\($0)" } ?? "-", decision.outcome, decision.fillPrice.map { "\($0)" } ?? "-",
        ]
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [14, 5, 7, 12, 7, 12, 28, 12]
        return "  " + zip(cells, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
    }
}
