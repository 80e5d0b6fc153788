import Foundation
import StrataRuntime
import Synchronization

/// Runs an optimization: checks the request against the script's schema, then runs its trials
/// `jobs` at a time — each job one confined worker process that reads the bars once and runs a
/// share of the trials (isolation `.process`), or a thread of this process (`.none`). A trial
/// whose script fails is a failed trial; a worker that crashes or wedges fails its current
/// trial and a new worker takes the rest of its share. Blocking: call it off the main thread.
public struct Optimizer: Sendable {
    public var request: OptimizationRequest
    /// The strata program started as `strata worker`.
    public var executable: String

    public init(request: OptimizationRequest, executable: String = WorkerProcess.currentExecutable) {
        self.request = request
        self.executable = executable
    }

    /// The script as it will run (the modules its load required) and its schema. A third-party
    /// script is loaded in a confined worker first (isolation `.process`).
    /// - Throws: ``OptimizationError`` of kind `.script` when the script does not load.
    public func prepare() throws(OptimizationError) -> (script: StrategyScript, schema: ConfigSchema) {
        let limits = request.settings.limits
        if request.isolation == .process, let error = IsolatedLoadCheck(script: request.script, limits: limits, executable: executable).run() {
            throw OptimizationError(.script, "strategy \(request.script.name) does not load: \(error)")
        }
        do {
            let identity = InstanceIdentity(id: "optimize", strategyType: request.script.name, account: "backtest", market: request.settings.market)
            return try StrategyInstance.prepare(request.script, identity: identity, limits: limits)
        } catch {
            throw OptimizationError(.script, "strategy \(request.script.name) does not load: \(error)")
        }
    }

    /// The trials the request asks for.
    public func plan() throws(OptimizationError) -> OptimizationPlan {
        try request.plan(schema: try prepare().schema)
    }

    /// Runs every trial.
    /// - Parameters:
    ///   - onTrial: called for each finished trial, one call at a time, with the trials done and
    ///     the trials planned.
    ///   - isCancelled: asked between trials and between a worker's words; true kills the
    ///     workers and ends the run with the trials done so far (`cancelled` set).
    /// - Throws: ``OptimizationError``: a bad request (`.usage`: parameters, the data file), a
    ///   script that does not load (`.script`).
    public func run(
        onTrial: @escaping @Sendable (TrialResult, _ done: Int, _ total: Int) -> Void = { _, _, _ in },
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws(OptimizationError) -> OptimizationResult {
        let start = ContinuousClock.now
        let (script, schema) = try prepare()
        let plan = try request.plan(schema: schema)
        var pool = TrialPool(
            request: request, script: script, executable: executable, total: plan.trialCount, segments: plan.segments, onTrial: onTrial,
            isCancelled: isCancelled)
        var trials = try pool.run(plan.searchTrials)
        if plan.walkForward > 0, !pool.cancelled {
            let best = (1...plan.walkForward).map { window in
                OptimizationResult.best(of: trials.filter { $0.window == window }, metric: request.metric, direction: request.direction)
            }
            trials += try pool.run(plan.outOfSampleTrials(best: best, after: plan.points.count * plan.walkForward))
        }
        var result = OptimizationResult(trials: trials, plan: plan, metric: request.metric, direction: request.direction, cancelled: pool.cancelled)
        result.elapsedSeconds = (ContinuousClock.now - start).seconds
        return result
    }
}
