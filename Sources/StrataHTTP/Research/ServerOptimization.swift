import Foundation
import StrataIsolation
import StrataRuntime

/// An optimization the server runs for the API, in confined `strata worker` processes as
/// `strata optimize` runs it. Each finished trial goes out with the run's progress (a
/// `research` event's `extra`: `{"trial": …}`); the outcome's summary is the `--json` result
/// without its trials, which are the detail; the report is the HTML one. Cancelling stops the
/// workers and keeps the trials done.
struct ServerOptimization: Sendable {
    let optimizer: Optimizer
    /// The data file's name in the data folder (messages name it, never its path on the server).
    let dataName: String

    func run(_ progress: ResearchProgress) -> ResearchOutcome {
        let result: OptimizationResult
        do throws(OptimizationError) {
            result = try optimizer.run(
                onTrial: { trial, done, total in
                    progress.report(fraction: Double(done) / Double(max(1, total)), extra: .object(["trial": trial.json]))
                },
                isCancelled: { progress.isCancelled })
        } catch {
            return ResearchOutcome(error: error.message.replacingOccurrences(of: optimizer.request.dataPath, with: dataName))
        }
        return Self.outcome(result, request: optimizer.request)
    }

    /// The result as a run's outcome.
    static func outcome(_ result: OptimizationResult, request: OptimizationRequest) -> ResearchOutcome {
        var summary = result.json.objectValue ?? [:]
        let trials = summary.removeValue(forKey: "trials") ?? .array([])
        var error: String?
        if result.succeeded == 0, !result.trials.isEmpty, !result.cancelled {
            error = "every trial failed; the first: \(result.trials[0].error ?? "")"
        }
        return ResearchOutcome(
            summary: summary, detail: .object(["trials": trials]), report: OptimizeReport.html(result: result, request: request), error: error)
    }
}
