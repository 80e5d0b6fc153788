import CStrataIsolation
import Foundation

/// What a worker process gives up right after it starts, before it reads any script: rlimits
/// (address space, CPU seconds, open files, no core dumps), `no_new_privs`, and a seccomp
/// allow-list (no files, no sockets, no exec, no ptrace; only I/O on the descriptors it has,
/// memory, threads, clocks and signals to itself). Passed to `strata worker` on its command line.
public struct WorkerConfinement: Sendable, Equatable {
    /// RLIMIT_AS: a backstop far above the Lua states' own caps (0: unlimited).
    public var addressSpaceBytes: UInt64
    /// RLIMIT_CPU: for one-shot workers (0: unlimited, as for the engine's long-lived ones).
    public var cpuSeconds: UInt64
    /// RLIMIT_NOFILE: the worker opens nothing after it starts.
    public var openFiles: UInt64

    public init(addressSpaceBytes: UInt64 = 8 << 30, cpuSeconds: UInt64 = 0, openFiles: UInt64 = 16) {
        self.addressSpaceBytes = addressSpaceBytes
        self.cpuSeconds = cpuSeconds
        self.openFiles = openFiles
    }

    /// The command-line arguments that carry it to `strata worker`.
    public var arguments: [String] {
        ["--address-space", String(addressSpaceBytes), "--cpu-seconds", String(cpuSeconds), "--open-files", String(openFiles)]
    }

    /// Confines the calling process for good.
    /// - Throws: which step failed, with the system's reason.
    public func apply() throws(WorkerConfinementError) {
        var confinement = strata_confinement(address_space_bytes: addressSpaceBytes, cpu_seconds: cpuSeconds, open_files: openFiles)
        var step: UnsafePointer<CChar>?
        let status = strata_confine(&confinement, &step)
        guard status == 0 else {
            throw WorkerConfinementError(step: step.map { String(cString: $0) } ?? "?", code: status)
        }
    }

    /// Confines a forked child the same way and tries what a worker must not do: open a file,
    /// open a socket, fork, signal its parent, exec.
    /// - Returns: what the confined child could still do (empty: the confinement holds), or nil
    ///   when the probe could not run.
    public func probe() -> [String]? {
        var confinement = strata_confinement(address_space_bytes: addressSpaceBytes, cpu_seconds: cpuSeconds, open_files: openFiles)
        let bits = strata_probe_confinement(&confinement)
        guard bits >= 0 else { return nil }
        let names: [(Int32, String)] = [
            (STRATA_PROBE_UNCONFINED, "unconfined"), (STRATA_PROBE_OPEN, "open"), (STRATA_PROBE_SOCKET, "socket"),
            (STRATA_PROBE_FORK, "fork"), (STRATA_PROBE_SIGNAL, "signal"), (STRATA_PROBE_EXEC, "exec"),
        ]
        return names.filter { bits & $0.0 != 0 }.map(\.1)
    }
}

/// A confinement step the system refused.
public struct WorkerConfinementError: Error, Sendable, CustomStringConvertible {
    public var step: String
    public var code: Int32

    public var description: String { "cannot confine the worker (\(step)): \(String(cString: strerror(code)))" }
}
