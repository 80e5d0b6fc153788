/// A failure of an ``InstanceStore`` call. An open struct rather than a closed enum, so that new
/// stores (PostgreSQL) and new failures can add codes without breaking callers that switch on them.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure; compare with the constants.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// No instance (or other row) with the given key.
        public static let notFound = Code(rawValue: "not_found")
        /// A row with the same key already exists (an instance id that is taken).
        public static let alreadyExists = Code(rawValue: "already_exists")
        /// The call would change an instance's identity, which is immutable.
        public static let identityImmutable = Code(rawValue: "identity_immutable")
        /// An argument the store cannot accept (an empty id, a value it cannot encode).
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The call conflicts with the state of other rows (an account reset while some of its
        /// instances are active); the message names them and how to resolve it.
        public static let conflict = Code(rawValue: "conflict")
        /// The stored data could not be read back (a bad JSON column, an unknown mode).
        public static let corruptData = Code(rawValue: "corrupt_data")
        /// The database itself failed (I/O, busy, constraint); `underlying` says how.
        public static let database = Code(rawValue: "database")
    }

    public var code: Code
    /// A sentence for the operator.
    public var message: String
    /// The instance concerned, when there is one.
    public var instanceID: String?
    /// What the store was doing (`setMode`, `migrate`, …).
    public var operation: String?
    /// The underlying database error, described (SQL and result code included).
    public var underlying: String?

    public init(
        _ code: Code, _ message: String, instanceID: String? = nil, operation: String? = nil,
        underlying: String? = nil
    ) {
        self.code = code
        self.message = message
        self.instanceID = instanceID
        self.operation = operation
        self.underlying = underlying
    }

    public var description: String {
        var text = message
        if let operation { text = "\(operation): " + text }
        if let underlying { text += " (\(underlying))" }
        return text
    }
}
