/// One line an instance wrote with `context.log`, `print` or `warn`.
public struct LogLine: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable {
        case info
        case warning
        /// A `context.notify(text)`: kept in the log, and posted to the webhooks that want `notify`.
        case notify
    }

    public var time: Double
    public var level: Level
    public var message: String
}

/// The most recent log lines of one instance, bounded so a chatty script cannot grow the host.
public struct LogBuffer: Sendable {
    public let capacity: Int
    /// The longest line kept; longer lines are cut.
    public static let maxLineLength = 2_000
    private var storage: [LogLine] = []
    /// How many lines were dropped because the buffer was full.
    public private(set) var dropped = 0
    /// How many lines were ever appended (kept or dropped): a cursor for readers that copy new lines.
    public private(set) var appended = 0

    public init(capacity: Int = 1_000) {
        self.capacity = capacity
    }

    /// The kept lines, oldest first.
    public var lines: ArraySlice<LogLine> { storage.suffix(capacity) }

    /// Drops every kept line (they were copied elsewhere); ``appended`` and ``dropped`` stay.
    public mutating func removeKept() {
        storage.removeAll()
    }

    public mutating func append(_ line: LogLine) {
        var line = line
        if line.message.utf8.count > Self.maxLineLength {
            line.message = String(decoding: line.message.utf8.prefix(Self.maxLineLength), as: UTF8.self) + "…"
        }
        // Trimming only when twice full keeps appends amortised O(1).
        if storage.count >= 2 * capacity {
            dropped += storage.count - capacity
            storage.removeFirst(storage.count - capacity)
        }
        storage.append(line)
        appended += 1
    }
}
