import Foundation
import StrataRuntime
import Synchronization

/// Runs batches of trials over the jobs of an ``Optimizer`` and gathers their results.
struct TrialPool {
    let request: OptimizationRequest
    let script: StrategyScript
    let executable: String
    let total: Int
    let segments: Int
    let onTrial: @Sendable (TrialResult, Int, Int) -> Void
    let isCancelled: @Sendable () -> Bool
    /// The bars of an in-process run, read once.
    var bars: [Bar]?
    private(set) var cancelled = false
    private let progress = Shared()

    init(
        request: OptimizationRequest, script: StrategyScript, executable: String, total: Int, segments: Int,
        onTrial: @escaping @Sendable (TrialResult, Int, Int) -> Void, isCancelled: @escaping @Sendable () -> Bool
    ) {
        self.request = request
        self.script = script
        self.executable = executable
        self.total = total
        self.segments = segments
        self.onTrial = onTrial
        self.isCancelled = isCancelled
    }

    /// What the jobs share: the results so far, the first data error, whether a job saw a cancel.
    final class Shared: Sendable {
        struct State {
            var results: [TrialResult] = []
            var done = 0
            var dataError: OptimizationError?
            var cancelled = false
            /// The next spec a thread takes (in-process runs).
            var next = 0
        }
        let state = Mutex(State())
    }

    /// Runs `specs`, `jobs` at a time; returns their results (those done when cancelled).
    mutating func run(_ specs: [TrialSpec]) throws(OptimizationError) -> [TrialResult] {
        guard !specs.isEmpty else { return [] }
        progress.state.withLock {
            $0.results = []
            $0.next = 0
        }
        let jobs = min(request.jobs, specs.count)
        let onTrial = onTrial
        let total = total
        let progress = progress
        let record: @Sendable (TrialResult) -> Void = { result in
            progress.state.withLock { state in
                state.results.append(result)
                state.done += 1
                onTrial(result, state.done, total)
            }
        }
        switch request.isolation {
        case .process:
            let shares = (0..<jobs).map { job in stride(from: job, to: specs.count, by: jobs).map { specs[$0] } }
            let job = ProcessJob(request: request, script: script, executable: executable, isCancelled: isCancelled, record: record)
            Self.concurrently(jobs) { index in
                switch job.run(shares[index]) {
                case .finished: break
                case .cancelled: progress.state.withLock { $0.cancelled = true }
                case .unusable(let error): progress.state.withLock { if $0.dataError == nil { $0.dataError = error } }
                }
            }
        case .none:
            if bars == nil {
                switch OptimizeWorker.readBars(path: request.dataPath, segments: segments) {
                case .success(let read): bars = read
                case .failure(let error): throw error
                }
            }
            let bars = self.bars ?? []
            let script = script
            let settings = request.settings
            let isCancelled = isCancelled
            Self.concurrently(jobs) { _ in
                while true {
                    if isCancelled() {
                        progress.state.withLock { $0.cancelled = true }
                        return
                    }
                    let next = progress.state.withLock { state in
                        defer { state.next += 1 }
                        return state.next
                    }
                    guard next < specs.count else { return }
                    record(TrialRun.run(specs[next], bars: bars, script: script, settings: settings))
                }
            }
        }
        let state = progress.state.withLock { $0 }
        if let error = state.dataError { throw error }
        cancelled = state.cancelled
        return state.results
    }

    /// Runs `body(0..<count)` on `count` threads of their own and waits for them all.
    static func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
    }
}
