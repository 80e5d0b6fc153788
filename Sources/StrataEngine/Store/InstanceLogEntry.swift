import StrataRuntime

/// A stored log line of one instance. The store keeps only the most recent lines per instance.
public struct InstanceLogEntry: Sendable, Equatable, Codable {
    /// Increasing with insertion order; assigned by the store (0 before it is stored).
    public var id: Int64
    public var instanceID: String
    /// Engine time (seconds).
    public var time: Double
    public var level: LogLine.Level
    public var message: String

    public init(id: Int64 = 0, instanceID: String, time: Double, level: LogLine.Level, message: String) {
        self.id = id
        self.instanceID = instanceID
        self.time = time
        self.level = level
        self.message = message
    }

    /// The entry for a runtime log line of `instanceID`.
    public init(instanceID: String, line: LogLine) {
        self.init(instanceID: instanceID, time: line.time, level: line.level, message: line.message)
    }
}
