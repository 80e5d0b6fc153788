/// One instance's position in its market: average-cost accounting, realised PnL, fees, and
/// the round-trip trades it made (a trade opens when the position leaves zero and closes when
/// it returns to zero; a fill that flips the sign closes one trade and opens the next).
/// A value type with no I/O, so its arithmetic is tested on its own.
public struct PositionBook: Sendable, Equatable {
    /// Signed quantity held (negative: short).
    public private(set) var position = 0.0
    /// Average entry price of the open position.
    public private(set) var averagePrice = 0.0
    public private(set) var realised = 0.0
    public private(set) var fees = 0.0
    public private(set) var closedTrades: [RoundTrip] = []
    public private(set) var openTrade: RoundTrip?

    public init() {}

    /// Profit at `price`: realised plus unrealised, fees deducted.
    public func pnl(at price: Double?) -> Double {
        realised + unrealised(at: price) - fees
    }

    /// Profit of the open position at `price`.
    public func unrealised(at price: Double?) -> Double {
        guard let price, position != 0 else { return 0 }
        return (price - averagePrice) * position
    }

    /// Keeps only the `count` most recent closed trades (PnL and fees are unaffected). Trims
    /// when twice that many are kept, so appends stay amortised O(1).
    public mutating func keepClosedTrades(last count: Int) {
        let count = max(count, 0)
        guard closedTrades.count > 2 * count else { return }
        closedTrades.removeFirst(closedTrades.count - count)
    }

    /// Applies a fill of `signedQuantity` (positive buys) at `price`, paying `fee`, at `time`.
    public mutating func apply(signedQuantity: Double, price: Double, fee: Double, time: Double) {
        fees += fee
        var remaining = signedQuantity
        var feeLeft = fee
        if position != 0, (position > 0) != (remaining > 0) {
            // Reducing (or flipping): close up to the whole position at this price.
            let closing = min(abs(remaining), abs(position)) * (remaining > 0 ? 1 : -1)
            let share = fee * abs(closing) / abs(signedQuantity)
            let profit = (price - averagePrice) * -closing
            realised += profit
            openTrade?.recordExit(quantity: abs(closing), price: price, profit: profit, fee: share, time: time)
            feeLeft -= share
            position += closing
            remaining -= closing
            if abs(position) < 1e-12 {
                position = 0
                averagePrice = 0
                if let trade = openTrade { closedTrades.append(trade) }
                openTrade = nil
            }
        }
        guard abs(remaining) > 0 else { return }
        // Opening or adding.
        if position == 0 {
            openTrade = RoundTrip(side: remaining > 0 ? .buy : .sell, entryTime: time)
        }
        let total = abs(position) + abs(remaining)
        averagePrice = (averagePrice * abs(position) + price * abs(remaining)) / total
        position += remaining
        openTrade?.recordEntry(quantity: abs(remaining), price: price, fee: feeLeft)
    }
}

/// A round-trip trade: from leaving a flat position to returning to it.
public struct RoundTrip: Sendable, Equatable, Codable {
    /// Long (buy first) or short (sell first).
    public var side: OrderSide
    public var entryTime: Double
    /// Average entry price over the fills that opened or added to it.
    public var entryPrice = 0.0
    public var quantity = 0.0
    public var exitTime: Double?
    /// Average exit price over the fills that reduced it.
    public var exitPrice: Double?
    public var exitedQuantity = 0.0
    /// Realised profit minus fees.
    public var pnl = 0.0
    public var fees = 0.0

    init(side: OrderSide, entryTime: Double) {
        self.side = side
        self.entryTime = entryTime
    }

    public var isOpen: Bool { exitTime == nil || exitedQuantity < quantity - 1e-12 }

    mutating func recordEntry(quantity added: Double, price: Double, fee: Double) {
        entryPrice = (entryPrice * quantity + price * added) / (quantity + added)
        quantity += added
        fees += fee
        pnl -= fee
    }

    mutating func recordExit(quantity closed: Double, price: Double, profit: Double, fee: Double, time: Double) {
        exitPrice = ((exitPrice ?? 0) * exitedQuantity + price * closed) / (exitedQuantity + closed)
        exitedQuantity += closed
        exitTime = time
        fees += fee
        pnl += profit - fee
    }
}
