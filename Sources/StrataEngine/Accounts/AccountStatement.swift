import Foundation
import StrataRuntime

/// An account as it stands: its cash and equity, each instance's position and profit, the
/// positions by market, and the open orders (the API's `Account`). Built from a paper broker and
/// the last prices: the engine's live broker (``PriceSource/live``), or a fresh broker the store's
/// fills since the reset were replayed into (``PriceSource/lastFill``).
public struct AccountStatement: Sendable, Equatable {
    /// Where the prices that mark the positions came from.
    public enum PriceSource: String, Sendable {
        /// The engine's last tick of each market.
        case live
        /// Each market's last fill (the CLI, without an engine).
        case lastFill = "last_fill"
    }

    /// One instance of the account.
    public struct InstanceLine: Sendable, Equatable {
        public var id: String
        public var market: String
        public var mode: InstanceMode
        public var position: Double
        /// Realised plus unrealised profit, fees deducted.
        public var pnl: Double
    }

    /// The account's position in one market, all its instances together.
    public struct PositionLine: Sendable, Equatable {
        public var market: String
        public var quantity: Double
        /// The average entry price of the net position (0 when the instances' positions cancel out).
        public var averagePrice: Double
        public var lastPrice: Double?
        public var unrealisedPnl: Double
        /// Each instance's share.
        public var instances: [Share]
    }

    /// One instance's part of a position.
    public struct Share: Sendable, Equatable {
        public var id: String
        public var quantity: Double
    }

    public var account: AccountRecord
    public var cash: Double
    /// Cash plus each position at its last price (at its average price while it has none).
    public var equity: Double
    public var realisedPnl: Double
    public var unrealisedPnl: Double
    public var fees: Double
    public var instances: [InstanceLine]
    public var positions: [PositionLine]
    public var openOrders: [Order]
    public var priceSource: PriceSource

    /// The statement of `account` from `broker`, whose instances are `instances` (those of other
    /// accounts are left out), marked at `prices` (by market).
    public init(account: AccountRecord, instances: [InstanceRecord], broker: PaperBroker, prices: [String: Double], priceSource: PriceSource) {
        let mine = instances.filter { $0.account == account.name }
        self.account = account
        self.priceSource = priceSource
        cash = broker.cash(of: account.name)
        var realised = 0.0
        var unrealised = 0.0
        var fees = 0.0
        var lines: [InstanceLine] = []
        var byMarket: [String: [(InstanceRecord, PositionBook)]] = [:]
        for record in mine {
            let book = broker.book(for: record.id)
            let price = prices[record.market]
            realised += book.realised
            unrealised += book.unrealised(at: price)
            fees += book.fees
            lines.append(InstanceLine(id: record.id, market: record.market, mode: record.mode, position: book.position, pnl: book.pnl(at: price)))
            if book.position != 0 { byMarket[record.market, default: []].append((record, book)) }
        }
        positions = byMarket.keys.sorted().map { market in
            let held = byMarket[market] ?? []
            let quantity = held.reduce(0) { $0 + $1.1.position }
            let cost = held.reduce(0) { $0 + $1.1.position * $1.1.averagePrice }
            let price = prices[market]
            return PositionLine(
                market: market, quantity: quantity, averagePrice: quantity == 0 ? 0 : cost / quantity, lastPrice: price,
                unrealisedPnl: held.reduce(0) { $0 + $1.1.unrealised(at: price) }, instances: held.map { Share(id: $0.0.id, quantity: $0.1.position) })
        }
        equity = cash + positions.reduce(0) { $0 + $1.quantity * ($1.lastPrice ?? $1.averagePrice) }
        realisedPnl = realised
        unrealisedPnl = unrealised
        self.fees = fees
        self.instances = lines
        let ids = Set(mine.map(\.id))
        openOrders = broker.allOpenOrders.filter { ids.contains($0.instanceID) }
    }

    /// The statement the store's history gives, without an engine: the fills since the account's
    /// last reset replayed into a fresh paper broker holding its base cash, each position marked
    /// at its market's last fill, the open orders as stored.
    public static func fromHistory(
        account: AccountRecord, instances: [InstanceRecord], history: TradingHistory, settings: PaperBroker.Settings = PaperBroker.Settings()
    ) -> AccountStatement {
        let mine = Dictionary(instances.filter { $0.account == account.name }.map { ($0.id, $0.identity) }, uniquingKeysWith: { first, _ in first })
        let broker = PaperBroker(settings: settings)
        broker.setBaseCash(account.baseCash, for: account.name)
        var prices: [String: Double] = [:]
        for fill in history.countedFills {
            guard let identity = mine[fill.instanceID] else { continue }
            broker.restore(
                fillOf: fill.orderID, for: identity, side: fill.side, quantity: fill.quantity, price: fill.price, fee: fill.fee, time: fill.time)
            prices[fill.market] = fill.price
        }
        var statement = AccountStatement(account: account, instances: instances, broker: broker, prices: prices, priceSource: .lastFill)
        statement.openOrders = history.orders.filter { $0.status == .open && mine[$0.instanceID] != nil }
        return statement
    }
}
