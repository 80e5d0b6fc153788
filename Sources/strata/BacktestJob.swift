import Foundation
import StrataIsolation
import StrataRuntime

/// What one `strata backtest` run prints and writes: made by the same code whether the run
/// happens in this process or in a worker, which cannot touch the terminal or the file system.
struct BacktestOutput {
    var stdout = ""
    var stderr = ""
    /// The HTML report's text, when one was asked for.
    var report: String?
    /// 0 done, 1 the script failed, 2 bad input (the data file).
    var status: Int32 = 0

    var wire: JSONValue {
        var object: [String: JSONValue] = ["stdout": .string(stdout), "stderr": .string(stderr), "status": .integer(Int64(status))]
        if let report { object["report"] = .string(report) }
        return .object(object)
    }

    init() {}

    init?(wire: JSONValue) {
        guard let stdout = wire["stdout"]?.stringValue, let stderr = wire["stderr"]?.stringValue,
            let status = wire["status"]?.intValue.flatMap(Int32.init(exactly:))
        else { return nil }
        self.stdout = stdout
        self.stderr = stderr
        self.status = status
        report = wire["report"]?.stringValue
    }
}

/// One backtest from the data file to its output.
struct BacktestJob {
    var request: BacktestRequest

    /// The bars, or the output that says why the data file cannot be used.
    enum Bars {
        case read([Bar])
        case unusable(BacktestOutput)
    }

    /// Reads the bars (before a worker confines itself: the path is the user's, not the script's).
    func readBars() -> Bars {
        do {
            return .read(try BarCSVReader.read(path: request.dataPath))
        } catch {
            var output = BacktestOutput()
            output.stderr = "strata: \(error)\n"
            output.status = 2
            return .unusable(output)
        }
    }

    /// Runs the script over `bars`; `progress` gets the bars done now and then, `finishing` is
    /// called once the bars are done, before the outputs are made.
    func run(bars: [Bar], progress: @escaping (Int) -> Void, finishing: () -> Void = {}) -> BacktestOutput {
        let script = request.script
        let settings = request.settings
        var output = BacktestOutput()
        let result: BacktestResult
        do {
            result = try Backtest(script: script, bars: bars, settings: settings).run(progress: progress)
        } catch {
            describe(error, bars: bars, into: &output)
            output.status = 1
            return output
        }
        finishing()
        if request.outputs["report"] == true {
            output.report = BacktestReport.html(result: result, strategy: script, market: settings.market)
        }
        if request.outputs["json"] == true {
            var object = result.json(strategy: script, includeTiming: request.outputs["timing"] != false)
            // `equity`: the curve thinned for a chart, for callers that draw it (the HTTP API).
            if request.outputs["equity"] == true, case .object(var fields) = object {
                fields["equity_curve"] = EquityCurve.json(result)
                object = .object(fields)
            }
            output.stdout = object.encoded() + "\n"
        } else {
            output.stdout = BacktestSummary.text(result, strategy: script, market: settings.market) + "\n"
        }
        return output
    }

    private func describe(_ failure: BacktestFailure, bars: [Bar], into output: inout BacktestOutput) {
        let error = failure.error
        if request.outputs["json"] == true {
            var object: [String: JSONValue] = [
                "ok": .bool(false), "phase": .string(error.phase.rawValue),
                "error": .object([
                    "kind": .string(error.kind.rawValue), "message": .string(error.message),
                    "line": error.line.map { .integer(Int64($0)) } ?? .null,
                    "traceback": error.traceback.map(JSONValue.string) ?? .null,
                ]),
            ]
            if let index = failure.barIndex {
                object["bar"] = .integer(Int64(index + 1))
                object["bar_time"] = .string(UTCTime.iso8601(bars[index].time))
            }
            output.stdout = JSONValue.object(object).encoded() + "\n"
            return
        }
        var lines = ["backtest failed: \(error.kind.rawValue) in \(error.phase.rawValue)"]
        if let index = failure.barIndex { lines.append("  at bar \(index + 1) of \(bars.count) (\(UTCTime.iso8601(bars[index].time)))") }
        lines.append("  \(error.message)")
        if let traceback = error.traceback { lines.append(traceback.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")) }
        output.stderr = lines.joined(separator: "\n") + "\n"
    }
}

/// The worker side of an isolated backtest: reads the data, confines itself, runs, answers with
/// the output; progress says the phase (`read`, `load`, `tick` with `bars`/`total`, `report`) at
/// most every 50 ms while bars run.
enum BacktestWorker {
    static func run(_ session: WorkerSession, confinement: WorkerConfinement) -> Int32 {
        guard let request = BacktestRequest(wire: session.request) else {
            session.fail("not a backtest request")
            return 70
        }
        let job = BacktestJob(request: request)
        let bars: [Bar]
        switch job.readBars() {
        case .read(let read): bars = read
        case .unusable(let output): return session.answer(output.wire)
        }
        guard session.confine(confinement) else { return 70 }
        session.progress(.object(["phase": .string("load")]))
        var lastWord = ContinuousClock.now
        var ticking = false
        let output = job.run(bars: bars) { done in
            let now = ContinuousClock.now
            guard !ticking || now - lastWord >= .milliseconds(50) else { return }
            ticking = true
            lastWord = now
            session.progress(.object(["phase": .string("tick"), "bars": .integer(Int64(done)), "total": .integer(Int64(bars.count))]))
        } finishing: {
            session.progress(.object(["phase": .string("report")]))
        }
        return session.answer(output.wire)
    }
}
