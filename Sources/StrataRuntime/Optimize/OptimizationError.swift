/// Why an optimization cannot run (or could not finish): bad input names the input and how to
/// fix it; the CLI exits 2 for `.usage` and 1 for `.script`.
public struct OptimizationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A bad parameter, constraint, metric or setting, or an unusable data file.
        case usage
        /// The script does not load, so there is nothing to sweep.
        case script
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// A `.usage` error.
    public init(_ message: String) {
        self.init(.usage, message)
    }

    public var description: String { message }
}
