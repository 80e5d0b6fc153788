import Foundation

/// The sizes of the work each scenario does. The defaults are the figures; smaller
/// ones keep tests fast (the scenario names stay, and each figure reports its own sizes).
struct BenchSizes {
    /// `on_tick` calls per repetition (dispatch_*).
    var calls = 1_000_000
    /// Instances of fanout_10k and load_10k.
    var instances = 10_000
    /// Timed ticks of fanout_10k, each delivered to every instance.
    var ticks = 100
    /// Ticks per batch of fanout_10k's batched engine and of dispatch_sma's batched rounds.
    var tickBatch = 10
    /// Healthy instances beside the faulty one in worker_crash.
    var canaries = 1_000
    /// Untimed ticks first: enough to fill the SMA's 50-slot ring, so every timed tick does
    /// the full work.
    var warmupTicks = 50
    /// Idle instances averaged by memory_per_instance.
    var memoryInstances = 1_000
    /// Bars of backtest_sma_1m.
    var bars = 1_000_000
    /// Hot reloads timed by reload_latency.
    var reloads = 100
}

/// What the scenarios of one `strata bench` run share: the bench folder, the C baseline
/// (built once, on first use), the sizes, and the progress lines on stderr.
final class BenchSession {
    let benchDir: String
    let sizes: BenchSizes
    /// With `--json` nothing but the JSON is printed.
    let quiet: Bool
    private var builtBaseline: BaselineProgram?
    private let started = ContinuousClock.now

    init(benchDir: String, sizes: BenchSizes, quiet: Bool) {
        self.benchDir = benchDir
        self.sizes = sizes
        self.quiet = quiet
    }

    /// The C baseline, built by `build.sh` the first time a scenario asks for it.
    func baseline() throws -> BaselineProgram {
        if let builtBaseline { return builtBaseline }
        progress("building the C baseline…")
        let program = try BaselineProgram(benchDir: benchDir)
        builtBaseline = program
        return program
    }

    /// The path of a benchmark strategy in `strategies/`.
    func script(_ file: String) -> String {
        "\(benchDir)/strategies/\(file)"
    }

    /// The path of an example strategy in the repository's `strategies-lua/` (beside `tools/`).
    func example(_ file: String) -> String {
        URL(fileURLWithPath: benchDir).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("strategies-lua/\(file)").path
    }

    /// A progress line on stderr (not with `--json`), stamped with the seconds since the start.
    func progress(_ message: String) {
        guard !quiet else { return }
        let stamp = String(format: "[%6.1f s] ", nanoseconds(ContinuousClock.now - started) / 1e9)
        FileHandle.standardError.write(Data("\(stamp)\(message)\n".utf8))
    }
}
