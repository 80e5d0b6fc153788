import Foundation

/// An account: a name that instances trade through, the broker that executes for it, and (for a
/// paper account) the cash it was given: its starting cash, the fundings since its last reset,
/// and where that reset cut its trading history.
public struct AccountRecord: Sendable, Equatable, Codable {
    public var name: String
    /// The broker kind; `paper` is the embedded simulated exchange (the API's `kind`).
    public var broker: String
    /// The currency cash and prices are counted in (3–10 letters A–Z).
    public var baseCurrency: String
    /// The cash the account starts with, and goes back to at a reset.
    public var startingCash: Double
    /// The sum of the fundings since the last reset.
    public var funded: Double
    /// How many times the account was reset.
    public var resets: Int
    /// When it was last reset (nil: never).
    public var resetAt: Date?
    /// The fills' row sequence at the last reset: fills up to it no longer count (0: all count).
    public var resetFillSeq: Int64
    /// The orders' row sequence at the last reset: orders up to it were placed before it.
    public var resetOrderSeq: Int64
    public var createdAt: Date

    public init(
        name: String, broker: String = AccountRecord.paperBroker, baseCurrency: String = AccountRecord.defaultCurrency,
        startingCash: Double = AccountRecord.defaultStartingCash, funded: Double = 0, resets: Int = 0, resetAt: Date? = nil,
        resetFillSeq: Int64 = 0, resetOrderSeq: Int64 = 0, createdAt: Date = Date()
    ) {
        self.name = name
        self.broker = broker
        self.baseCurrency = baseCurrency
        self.startingCash = startingCash
        self.funded = funded
        self.resets = resets
        self.resetAt = resetAt
        self.resetFillSeq = resetFillSeq
        self.resetOrderSeq = resetOrderSeq
        self.createdAt = createdAt
    }

    /// The cash the account has before any trade: its starting cash plus its fundings.
    public var baseCash: Double { startingCash + funded }

    /// The embedded paper broker's name.
    public static let paperBroker = "paper"
    /// The currency of an account created without one.
    public static let defaultCurrency = "USD"
    /// The starting cash of an account created without one (the paper broker's default).
    public static let defaultStartingCash = 100_000.0
}
