import Synchronization

/// A registration for change callbacks of an ``InstanceStore``; ``cancel()`` (or letting it
/// go) ends it.
public final class StoreObservation: Sendable {
    private let onCancel: Mutex<(@Sendable () -> Void)?>

    /// - Parameter onCancel: ends the registration; called once.
    public init(onCancel: @escaping @Sendable () -> Void = {}) {
        self.onCancel = Mutex(onCancel)
    }

    deinit { cancel() }

    /// Ends the registration; later calls do nothing.
    public func cancel() {
        let action = onCancel.withLock { action in
            defer { action = nil }
            return action
        }
        action?()
    }
}

extension InstanceStore {
    /// A store that cannot notify: nothing is called, and readers poll ``changeToken()``.
    public func observeDesiredState(_ action: @escaping @Sendable () -> Void) -> StoreObservation {
        StoreObservation()
    }
}
