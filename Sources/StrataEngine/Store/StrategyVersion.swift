import Foundation

/// One version of a strategy script, stored by content hash so that instances can record which
/// code they run and the exact source can be shown later.
public struct StrategyVersion: Sendable, Equatable, Codable {
    /// The strategy type (the script's file name without `.lua`).
    public var strategyType: String
    /// The content hash of `source` (hex).
    public var hash: String
    /// The script text.
    public var source: String
    /// When this content was first recorded; recording it again keeps the first date.
    public var firstSeen: Date

    public init(strategyType: String, hash: String, source: String, firstSeen: Date = Date()) {
        self.strategyType = strategyType
        self.hash = hash
        self.source = source
        self.firstSeen = firstSeen
    }
}
