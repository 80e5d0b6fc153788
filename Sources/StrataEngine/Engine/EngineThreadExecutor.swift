import Dispatch
import Foundation
import Synchronization

/// Why a parked engine loop was woken before its deadline.
public struct EngineWake: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// A strategy file was saved.
    public static let fileSaved = EngineWake(rawValue: 1 << 0)
    /// The desired state changed through this process's store.
    public static let storeChanged = EngineWake(rawValue: 1 << 1)
    /// A stop was asked for.
    public static let stop = EngineWake(rawValue: 1 << 2)
}

/// The engine's own thread as a serial executor: ``EngineLoop``'s actor jobs (its loop, and
/// every ``EngineLoop/perform(_:)``) run here one at a time, so the compiler's actor isolation
/// is what confines the engine and its Lua states to this thread. The thread has 8 MiB of stack
/// (Lua's C recursion limit needs room).
///
/// Besides jobs, the thread keeps one alarm: the loop parks until its next due moment
/// (``park(until:)``) and is resumed then, or earlier by ``ring(_:)`` (a file save, a store
/// write, a stop). While parked the thread sleeps; an enqueued job wakes it at once.
final class EngineThreadExecutor: SerialExecutor {
    private struct State {
        var jobs: [UnownedJob] = []
        var parked: CheckedContinuation<EngineWake, Never>?
        var deadline = DispatchTime.distantFuture
        /// Wake reasons rung while nothing was parked: the next park returns at once with them.
        var pending: EngineWake = []
        var thread: pthread_t?
        var shutdown = false
    }

    private let state = Mutex(State())
    /// Signalled for every job, ring and shutdown; extra signals only cost a spurious turn.
    private let signal = DispatchSemaphore(value: 0)

    /// Starts the thread.
    init(name: String) {
        let thread = Thread { [self] in
            // Named from inside: a name set before `start()` does not reach the thread on Linux.
            // (Foundation's setter does not always replace the name a thread inherits from its
            // creator, a dispatch thread's: tell the thread by identity, ``isCurrent``.)
            Thread.current.name = name
            work()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        state.withLock { $0.jobs.append(job) }
        signal.signal()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    func checkIsolated() {
        precondition(isCurrent, "not on the engine thread")
    }

    /// Whether the caller runs on the engine's thread (by thread identity, not by name).
    var isCurrent: Bool {
        let current = pthread_self()
        let owner = state.withLock { $0.thread }
        return owner.map { pthread_equal($0, current) != 0 } ?? false
    }

    /// Suspends the caller (the loop, on this executor) until `deadline` or a ``ring(_:)``,
    /// whichever comes first.
    /// - Returns: the reasons rung (empty when the deadline came).
    func park(until deadline: DispatchTime) async -> EngineWake {
        await withCheckedContinuation { (continuation: CheckedContinuation<EngineWake, Never>) in
            let now = DispatchTime.now()
            let ready: EngineWake? = state.withLock { state in
                if !state.pending.isEmpty || deadline <= now {
                    defer { state.pending = [] }
                    return state.pending
                }
                state.parked = continuation
                state.deadline = deadline
                return nil
            }
            if let ready { continuation.resume(returning: ready) } else { signal.signal() }
        }
    }

    /// Wakes the parked loop now (or makes its next park return at once) with `reasons`.
    func ring(_ reasons: EngineWake) {
        state.withLock { $0.pending.formUnion(reasons) }
        signal.signal()
    }

    /// Ends the thread once no job is left (the loop's actor is gone: no job can come).
    func shutdown() {
        state.withLock { $0.shutdown = true }
        signal.signal()
    }

    private func work() {
        state.withLock { $0.thread = pthread_self() }
        let executor = asUnownedSerialExecutor()
        while true {
            let now = DispatchTime.now()
            let (jobs, woken, deadline, exit) = state.withLock { state in
                let jobs = state.jobs
                state.jobs = []
                var woken: (CheckedContinuation<EngineWake, Never>, EngineWake)?
                if let parked = state.parked, !state.pending.isEmpty || state.deadline <= now {
                    woken = (parked, state.pending)
                    state.parked = nil
                    state.pending = []
                    state.deadline = .distantFuture
                }
                return (jobs, woken, state.deadline, state.shutdown && jobs.isEmpty && state.parked == nil)
            }
            if let (continuation, reasons) = woken { continuation.resume(returning: reasons) }
            for job in jobs { job.runSynchronously(on: executor) }
            if exit { return }
            if jobs.isEmpty && woken == nil { _ = signal.wait(timeout: deadline) }
        }
    }
}
