import Dispatch
import StrataRuntime

/// Decodes snapshots for `why` at most two at a time: each decode may use up to its memory cap
/// (64 MiB by default), and a client asking for many at once must not multiply that. Callers
/// wait on the blocking queue (``BlockingWork``), never on the cooperative pool.
enum SnapshotDecodeGate {
    private static let slots = DispatchSemaphore(value: 2)

    static func decode(_ bytes: [UInt8], limits: SnapshotContents.Limits) -> SnapshotContents {
        slots.wait()
        defer { slots.signal() }
        return SnapshotContents.decode(bytes, limits: limits)
    }
}
