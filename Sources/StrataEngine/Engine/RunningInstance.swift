import StrataRuntime

/// Everything the engine holds for one instance it loaded, in one record: what the reconciler
/// compares (``snapshot``), the runtime as the tick scheduler holds it (``slot``, nil once the
/// instance failed), and the error it failed with. Keeping them together means a load, an
/// unload or a failure changes one value, never several dictionaries kept in step by hand.
struct RunningInstance {
    /// What it runs, or what it last failed with (the reconciler's input).
    var snapshot: RuntimeSnapshot
    /// The runtime and what its worker measures; nil when the instance failed.
    var slot: InstanceSlot?
    /// The error that put it in status `error` (or, while it runs, why it was restarted).
    var lastError: InstanceStatus.Failure?
    /// When an instance that crashed its worker is loaded again (process isolation's backoff).
    var retryAt: Double?

    /// The runtime, while it runs.
    var runtime: (any InstanceRuntime)? { slot?.runtime }

    /// A freshly loaded instance.
    init(snapshot: RuntimeSnapshot, slot: InstanceSlot) {
        self.snapshot = snapshot
        self.slot = slot
    }

    /// An instance that failed before its runtime existed (or after it was dropped).
    init(failed snapshot: RuntimeSnapshot, error: InstanceStatus.Failure?) {
        self.snapshot = snapshot
        self.snapshot.failed = true
        self.lastError = error
    }
}
