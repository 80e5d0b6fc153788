import Foundation

/// A fixed set of threads that run one batch of jobs at a time: job 0 on the caller's thread,
/// job k on worker k, and `run` returns when all are done. Each worker has 8 MiB of stack
/// (Lua's C recursion limit needs room). A pool of size 1 has no threads.
final class WorkerPool: @unchecked Sendable {
    /// Threads, the caller's included.
    let size: Int
    private var workers: [Worker] = []
    private let done = DispatchSemaphore(value: 0)

    private final class Worker: @unchecked Sendable {
        let start = DispatchSemaphore(value: 0)
        var job: (() -> Void)?
        var quit = false
    }

    init(size: Int) {
        self.size = max(1, size)
        for index in 1..<self.size {
            let worker = Worker()
            workers.append(worker)
            let thread = Thread { [done] in
                while true {
                    worker.start.wait()
                    if worker.quit { return }
                    worker.job?()
                    worker.job = nil
                    done.signal()
                }
            }
            thread.stackSize = 8 << 20
            thread.name = "strata-worker-\(index)"
            thread.start()
        }
    }

    deinit {
        for worker in workers {
            worker.quit = true
            worker.start.signal()
        }
    }

    /// Runs `jobs` (at most `size`) in parallel and waits for all of them.
    func run(_ jobs: [() -> Void]) {
        precondition(jobs.count <= size, "more jobs than threads")
        guard jobs.count > 1 else {
            jobs.first?()
            return
        }
        for (worker, job) in zip(workers, jobs.dropFirst()) {
            worker.job = job
            worker.start.signal()
        }
        jobs[0]()
        for _ in 1..<jobs.count { done.wait() }
    }
}
