/// An error from Lua or from the bridge, carrying what explains it: where it happened in the
/// script and the Lua traceback.
///
/// `Kind` is an open set of codes (new kinds can be added without breaking `switch`es).
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The chunk did not compile.
        public static let syntax = Kind(rawValue: "syntax")
        /// The script raised an error (or called something wrongly).
        public static let runtime = Kind(rawValue: "runtime")
        /// The call ran past its wall-clock deadline and was stopped.
        public static let cpuLimit = Kind(rawValue: "cpu_limit")
        /// The state reached its memory cap.
        public static let memoryLimit = Kind(rawValue: "memory_limit")
        /// A Lua value could not be converted (cycle, too deep, too large, unsupported type).
        public static let conversion = Kind(rawValue: "conversion")
        /// The host misused the state (e.g. two calls at once).
        public static let misuse = Kind(rawValue: "misuse")
    }

    public var kind: Kind
    /// The message, as Lua gives it (with the `chunk:line:` prefix when Lua adds one).
    public var message: String
    /// The chunk the error happened in, when known.
    public var chunk: String?
    /// The line in `chunk`, when known.
    public var line: Int?
    /// Lua's traceback at the point of the error, when known.
    public var traceback: String?

    public init(kind: Kind, message: String, chunk: String? = nil, line: Int? = nil, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.chunk = chunk
        self.line = line
        self.traceback = traceback
    }

    public var description: String {
        "\(kind): \(message)"
    }
}
