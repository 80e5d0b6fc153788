import Foundation

/// How a worker process ended: an exit status or a signal, in words a user reads.
public struct WorkerExit: Sendable, Equatable, CustomStringConvertible {
    /// The exit status, when it exited.
    public var status: Int32?
    /// The signal, when one ended it.
    public var signal: Int32?

    /// The exit status a worker uses when its own watchdog found a call stuck in C code.
    public static let stuckStatus: Int32 = 86

    public init(status: Int32? = nil, signal: Int32? = nil) {
        self.status = status
        self.signal = signal
    }

    /// From `waitpid`'s status word.
    init(waitStatus: Int32) {
        let signal = waitStatus & 0x7f
        if signal == 0 {
            self.init(status: (waitStatus >> 8) & 0xff)
        } else {
            self.init(signal: signal)
        }
    }

    /// The signal's name (`SIGSEGV`), or its number.
    public var signalName: String? {
        guard let signal else { return nil }
        let names: [Int32: String] = [
            SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGFPE: "SIGFPE", SIGABRT: "SIGABRT",
            SIGTRAP: "SIGTRAP", SIGKILL: "SIGKILL", SIGXCPU: "SIGXCPU", SIGSYS: "SIGSYS", SIGTERM: "SIGTERM",
            SIGINT: "SIGINT", SIGPIPE: "SIGPIPE",
        ]
        return names[signal] ?? "signal \(signal)"
    }

    public var description: String {
        if let name = signalName { return "killed by \(name)" }
        return "exited with status \(status ?? -1)"
    }
}
