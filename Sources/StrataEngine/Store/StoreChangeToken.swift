/// An opaque marker of the desired state's revision. Two equal tokens mean no instance was
/// created or changed in between, by this process or any other (a CLI, a SQL shell).
///
/// The engine polls ``InstanceStore/changeToken()`` (it is one tiny read) and reconciles when
/// the token differs from the last one it saw; it still resyncs periodically, because a token
/// says *that* something changed, not what.
public struct StoreChangeToken: Sendable, Hashable, CustomStringConvertible {
    /// The store's generation counter; only meaningful for comparison.
    public let generation: Int64

    public init(generation: Int64) { self.generation = generation }

    public var description: String { "generation \(generation)" }
}
