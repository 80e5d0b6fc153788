import Foundation
import StrataRuntime

/// One job of an isolated optimization: a confined worker process runs the job's share of the
/// trials; when it dies or wedges, its current trial fails with the verdict and a new worker
/// runs the rest.
struct ProcessJob: Sendable {
    let request: OptimizationRequest
    let script: StrategyScript
    let executable: String
    let isCancelled: @Sendable () -> Bool
    let record: @Sendable (TrialResult) -> Void

    enum Outcome {
        case finished
        case cancelled
        /// The data file cannot be used: the whole run is bad input.
        case unusable(OptimizationError)
    }

    func run(_ share: [TrialSpec]) -> Outcome {
        let limits = request.settings.limits
        let beat = limits.tickDeadline * Backtest.progressInterval + .milliseconds(50)
        let trialStart = limits.loadDeadline * 2 + beat
        var pending = share
        while !pending.isEmpty {
            if isCancelled() { return .cancelled }
            var finished = Set<Int>()
            var phase = StrategyError.Phase.load
            // Reading the data file is Strata's own work, bounded by the file; then each word resets the budget.
            let call = WorkerCall(executable: executable, confinement: WorkerConfinement())
            let outcome = call.run(OptimizeWorker.request(request, script: script, trials: pending), budget: .seconds(120), cancel: isCancelled) {
                body in
                if let wire = body["result"], let result = TrialResult(wire: wire) {
                    finished.insert(result.index)
                    record(result)
                    phase = .load
                    return trialStart
                }
                switch body["phase"]?.stringValue {
                case "tick":
                    phase = .tick
                    return beat
                default:
                    phase = .load
                    return trialStart
                }
            }
            pending.removeAll { finished.contains($0.index) }
            switch outcome {
            case .success(let answer):
                if let error = answer["error"]?.stringValue { return .unusable(OptimizationError(error)) }
                if !pending.isEmpty {
                    // The worker ended its batch early (it should not): the rest fail.
                    for trial in pending { record(.failed(trial, "the worker answered before running this trial")) }
                    pending = []
                }
            case .failure(.cancelled):
                return .cancelled
            case .failure(let failure):
                if isCancelled() { return .cancelled }
                guard !pending.isEmpty else { continue }
                let failed = pending.removeFirst()
                let error = failure.error(in: phase)
                record(.failed(failed, "\(error.kind.rawValue) in \(error.phase.rawValue): \(error.message)"))
            }
        }
        return .finished
    }
}
