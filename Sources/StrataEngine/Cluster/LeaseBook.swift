import Synchronization

/// The fencing tokens a node holds, shared by its lease keeper (which writes them after each
/// round) and its store (which attaches them to every write for an instance). A write for an
/// instance the book has no token for, or whose token the database no longer holds, is
/// refused; ``refusedWrites`` counts the records refused so.
public final class LeaseBook: Sendable {
    private let tokens = Mutex<[String: Int64]>([:])
    private let refused = Atomic<Int>(0)

    public init() {}

    /// The token held for `instanceID`, or nil.
    public func token(for instanceID: String) -> Int64? {
        tokens.withLock { $0[instanceID] }
    }

    /// Every token held.
    public var all: [String: Int64] { tokens.withLock { $0 } }

    /// Replaces the tokens held (after a lease round).
    public func replace(with held: [String: Int64]) {
        tokens.withLock { $0 = held }
    }

    /// Forgets the token of `instanceID` (its lease was lost or released).
    public func forget(_ instanceID: String) {
        _ = tokens.withLock { $0.removeValue(forKey: instanceID) }
    }

    /// Counts `count` records a store refused for a stale or missing token.
    public func countRefused(_ count: Int) {
        guard count > 0 else { return }
        refused.add(count, ordering: .relaxed)
    }

    /// Records refused so far for a stale or missing token.
    public var refusedWrites: Int { refused.load(ordering: .relaxed) }
}
