import LuaBridge

/// Why a strategy failed, classed by what its author must do about it. Errors are data: an
/// instance that fails keeps this as its last error; the engine goes on.
public struct StrategyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of failure (an open set of codes).
    public struct Kind: RawRepresentable, Hashable, Sendable, Codable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let syntax = Kind(rawValue: "syntax")
        public static let runtime = Kind(rawValue: "runtime")
        public static let cpuLimit = Kind(rawValue: "cpu_limit")
        public static let memoryLimit = Kind(rawValue: "memory_limit")
        public static let invalidSchema = Kind(rawValue: "invalid_schema")
        public static let missingFunction = Kind(rawValue: "missing_function")
        public static let invalidRender = Kind(rawValue: "invalid_render")
        public static let invalidConfig = Kind(rawValue: "invalid_config")
        /// The worker process running the script died (a signal, or an exit without an answer).
        public static let crashed = Kind(rawValue: "crashed")
        /// The version crashed or wedged worker processes again and again and is not run (process isolation).
        public static let quarantined = Kind(rawValue: "quarantined")
        /// `state` cannot be saved (not plain data, too large) or a saved one cannot be restored.
        public static let snapshot = Kind(rawValue: "snapshot")
    }

    /// Where in the lifecycle it happened.
    public enum Phase: String, Sendable, Codable {
        case load, `init`, tick, render, config, reload, save
    }

    public var kind: Kind
    public var phase: Phase
    public var message: String
    public var line: Int?
    public var traceback: String?
    /// The fields at fault, for `invalid_config`.
    public var fieldErrors: [ConfigFieldError]

    public init(
        kind: Kind, phase: Phase, message: String, line: Int? = nil, traceback: String? = nil,
        fieldErrors: [ConfigFieldError] = []
    ) {
        self.kind = kind
        self.phase = phase
        self.message = message
        self.line = line
        self.traceback = traceback
        self.fieldErrors = fieldErrors
    }

    /// The strategy-level form of an error from Lua.
    public init(_ error: LuaError, phase: Phase, deadline: Duration? = nil) {
        let kind: Kind
        var message = error.message
        switch error.kind {
        case .syntax: kind = .syntax
        case .cpuLimit:
            kind = .cpuLimit
            let limit = deadline.map { " of \(StrategyLimits.describe($0))" } ?? ""
            message = "cpu limit: \(phase.functionName) ran past its deadline\(limit)"
        case .memoryLimit:
            kind = .memoryLimit
            message = "memory limit: the script reached its memory cap (\(message))"
        case .conversion: kind = phase == .render ? .invalidRender : .runtime
        default: kind = .runtime
        }
        self.init(kind: kind, phase: phase, message: message, line: error.line, traceback: error.traceback)
    }

    public var description: String {
        "\(kind.rawValue) in \(phase.rawValue): \(message)"
    }
}

extension StrategyError.Phase {
    /// The script function this phase runs.
    public var functionName: String {
        switch self {
        case .load: return "the chunk"
        case .`init`: return "init"
        case .tick: return "on_tick"
        case .render: return "render"
        case .config: return "on_config"
        case .reload: return "on_reload"
        case .save: return "on_save"
        }
    }
}
