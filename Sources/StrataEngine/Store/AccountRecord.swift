import Foundation

/// An account: a name that instances trade through, and the broker that executes for it.
public struct AccountRecord: Sendable, Equatable, Codable {
    public var name: String
    /// The broker kind; `paper` is the embedded simulated exchange.
    public var broker: String
    public var createdAt: Date

    public init(name: String, broker: String = AccountRecord.paperBroker, createdAt: Date = Date()) {
        self.name = name
        self.broker = broker
        self.createdAt = createdAt
    }

    /// The embedded paper broker's name.
    public static let paperBroker = "paper"
}
