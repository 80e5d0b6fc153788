import CStrataIsolation
import Foundation

/// A worker process the engine started and owns: its process id, its end of the channel, and
/// its exit once reaped. The worker runs in a process group of its own, so a kill reaches
/// anything it could have left behind. Dropping the value kills and reaps the worker if that
/// has not happened yet: a worker never outlives its owner's handle. One thread uses it at a
/// time (it is not `Sendable`).
public final class WorkerProcess {
    public let pid: pid_t
    /// The engine's end of the channel.
    public let channel: WorkerChannel
    /// How the worker ended, once ``wait()`` has reaped it.
    public private(set) var exit: WorkerExit?
    /// Whether this side killed it (a kill after a missed deadline is not a crash).
    public private(set) var killed = false

    /// Starts `executable` with `arguments` (the first is the program's name) and the channel's
    /// other end as its descriptor 3.
    /// - Parameter board: a descriptor the worker gets as its descriptor 4 (-1: none).
    public static func start(executable: String, arguments: [String], board: Int32 = -1) throws(WorkerChannelError) -> WorkerProcess {
        let (mine, theirs) = try WorkerChannel.pair()
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = strata_spawn_worker_with_board(executable, &argv, theirs.descriptor, board, &pid)
        guard status == 0 else { throw .system("posix_spawn \(executable)", status) }
        return WorkerProcess(pid: pid, channel: mine)
    }

    private init(pid: pid_t, channel: WorkerChannel) {
        self.pid = pid
        self.channel = channel
    }

    deinit {
        if exit == nil {
            kill()
            _ = wait()
        }
    }

    /// This program's own executable (workers run the same binary as the engine).
    public static var currentExecutable: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The CPU time one thread of the worker has used so far (from the kernel's scheduler
    /// statistics, in nanoseconds), or nil when it cannot be read. One thread, not the process:
    /// the worker's deadline watchdog uses a little CPU all the time.
    public func cpuTime(thread: Int32) -> Duration? {
        guard exit == nil, let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/schedstat", encoding: .utf8),
            let first = text.split(separator: " ").first, let nanoseconds = Int64(first)
        else { return nil }
        return .nanoseconds(nanoseconds)
    }

    /// Sends SIGKILL to the worker's process group (it cannot be caught or delayed).
    public func kill() {
        guard exit == nil else { return }
        killed = true
        Glibc.kill(-pid, SIGKILL)
        Glibc.kill(pid, SIGKILL)
    }

    /// Waits until the worker has ended and reaps it.
    @discardableResult
    public func wait() -> WorkerExit {
        if let exit { return exit }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let ended = WorkerExit(waitStatus: status)
        exit = ended
        return ended
    }
}
