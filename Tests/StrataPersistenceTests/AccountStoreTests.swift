import Foundation
import StrataEngine
import StrataRuntime
import Testing

/// Accounts as records: created, funded and reset (audited, moving the change token), and the
/// fills a reset leaves behind, the same on both stores.
@Suite struct AccountStoreTests {
    @Test(arguments: ReplayTestStores.allCases)
    func anAccountIsCreatedOnceWithItsFieldsAndAudited(_ kind: ReplayTestStores) throws {
        // Given an empty store
        let opened = try kind.open()
        let store = opened.store
        let token = try store.changeToken()

        // When an account is created with its own currency and starting cash
        let created = try store.createAccount(AccountRecord(name: "desk", baseCurrency: "USDT", startingCash: 5_000), actor: .api)

        // Then it reads back as created, moves the change token, and is audited as `account`
        #expect(created.name == "desk" && created.broker == "paper" && created.baseCurrency == "USDT")
        #expect(created.startingCash == 5_000 && created.funded == 0 && created.resets == 0 && created.resetAt == nil)
        #expect(try store.account(name: "desk") == created)
        #expect(try store.accounts().map(\.name) == ["desk"])
        #expect(try store.changeToken() != token)
        let audit = try store.accountAudit(name: "desk", limit: 10)
        #expect(audit.map(\.field) == [.account] && audit[0].actor == .api && audit[0].old == nil)
        #expect(audit[0].new["starting_cash"]?.doubleValue == 5_000 && audit[0].new["base_currency"] == .string("USDT"))

        // And a second creation of the name is refused, as are bad fields (each named)
        let taken = #expect(throws: StoreError.self) { try store.createAccount(AccountRecord(name: "desk"), actor: .cli) }
        #expect(taken?.code == .alreadyExists)
        for (bad, field) in [
            (AccountRecord(name: "x", baseCurrency: "usd"), "base_currency"), (AccountRecord(name: "x", startingCash: -1), "starting_cash"),
            (AccountRecord(name: "x", startingCash: .nan), "starting_cash"), (AccountRecord(name: "x", startingCash: 2e15), "starting_cash"),
            (AccountRecord(name: "x", broker: "binance"), "kind"), (AccountRecord(name: ""), "name"),
        ] {
            let error = #expect(throws: StoreError.self) { try store.createAccount(bad, actor: .cli) }
            #expect(error?.code == .invalidArgument && error?.message.hasPrefix(field) == true, "\(String(describing: error))")
        }
        #expect(try store.account(name: "x") == nil)
        // An instance's implicit account has the defaults
        try store.createInstance(.sample("a", account: "implicit"), mode: .off, config: [:], actor: .cli)
        let implicit = try #require(try store.account(name: "implicit"))
        #expect(implicit.startingCash == 100_000 && implicit.baseCurrency == "USD" && implicit.baseCash == 100_000)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func fundingsAddUpAndBadAmountsAreRefusedByName(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        try store.createAccount(AccountRecord(name: "desk", startingCash: 1_000), actor: .cli)

        // When it is funded twice
        try store.fundAccount("desk", amount: 250, actor: .cli)
        let token = try store.changeToken()
        let funded = try store.fundAccount("desk", amount: 0.5, actor: .api)

        // Then the fundings add up, the token moves, and each is audited with its amount
        #expect(funded.funded == 250.5 && funded.baseCash == 1_250.5)
        #expect(try store.changeToken() != token)
        let fundings = try store.accountAudit(name: "desk", limit: 10).filter { $0.field == .funding }
        #expect(fundings.map { $0.new["amount"]?.doubleValue } == [250, 0.5])
        #expect(fundings.map { $0.old?["funded"]?.doubleValue } == [0, 250])
        #expect(fundings.map(\.actor) == [.cli, .api])

        // And zero, negative, NaN, infinite and huge amounts are refused naming `amount`, changing nothing
        for amount in [0, -1, .nan, .infinity, -.infinity, 1e16, 1e15] {
            let error = #expect(throws: StoreError.self) { try store.fundAccount("desk", amount: amount, actor: .cli) }
            #expect(error?.code == .invalidArgument && error?.message.hasPrefix("amount") == true, "\(amount): \(String(describing: error))")
        }
        #expect(try store.account(name: "desk")?.funded == 250.5)
        let ghost = #expect(throws: StoreError.self) { try store.fundAccount("ghost", amount: 1, actor: .cli) }
        #expect(ghost?.code == .notFound)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func aResetIsRefusedWhileAnInstanceIsActiveAndCutsTheFills(_ kind: ReplayTestStores) throws {
        // Given an account with two instances, one active, each with a fill, and a funding
        let opened = try kind.open()
        let store = opened.store
        try store.createAccount(AccountRecord(name: "desk", startingCash: 1_000), actor: .cli)
        try store.createInstance(.sample("a", account: "desk"), mode: .active, config: [:], actor: .cli)
        try store.createInstance(.sample("b", account: "desk"), mode: .observe, config: [:], actor: .cli)
        try store.createInstance(.sample("c", account: "other"), mode: .active, config: [:], actor: .cli)
        try store.fundAccount("desk", amount: 500, actor: .cli)
        try Self.fill(store, "o1", instance: "a")
        try Self.fill(store, "o2", instance: "c")

        // When it is reset while `a` is active: refused, naming `a` and what to do
        let refused = #expect(throws: StoreError.self) { try store.resetAccount("desk", actor: .cli) }
        #expect(refused?.code == .conflict, "\(String(describing: refused))")
        #expect(refused?.message.contains("instances (a)") == true && refused?.message.contains("observe or off") == true)
        #expect(try store.account(name: "desk")?.resets == 0)

        // Then, with `a` set to observe, the reset goes through: fundings 0, one reset, audited
        try store.setMode(id: "a", to: .observe, actor: .cli)
        let token = try store.changeToken()
        let reset = try store.resetAccount("desk", actor: .api)
        #expect(reset.funded == 0 && reset.resets == 1 && reset.resetAt != nil && reset.baseCash == 1_000)
        #expect(try store.changeToken() != token)
        let entry = try #require(try store.accountAudit(name: "desk", limit: 10).last)
        #expect(entry.field == .reset && entry.actor == .api && entry.old?["funded"]?.doubleValue == 500 && entry.new["resets"] == .integer(1))

        // And the fills made before it no longer count, those after it and other accounts' do
        try Self.fill(store, "o3", instance: "b")
        let history = try store.tradingHistory()
        #expect(history.fills.map(\.id) == ["o1", "o2", "o3"])
        #expect(history.fillsBeforeReset == ["o1"])
        #expect(history.countedFills.map(\.id) == ["o2", "o3"])
        #expect(history.orders.map(\.id) == ["o1", "o2", "o3"])
        #expect(history.ordersBeforeReset == ["o1"])
        #expect(try store.fillsSinceReset(instanceID: "a", limit: 10).isEmpty)
        #expect(try store.fillsSinceReset(instanceID: "b", limit: 10).map(\.id) == ["o3"])
        #expect(try store.fillsSinceReset(instanceID: "c", limit: 10).map(\.id) == ["o2"])
        #expect(try store.fillsSinceReset(instanceID: "c", limit: 0).isEmpty)

        // And an unknown account is not found
        #expect(throws: StoreError.self) { try store.resetAccount("ghost", actor: .cli) }
        #expect(try store.accountAudit(name: "ghost", limit: 10).isEmpty)
    }

    /// Stores a filled buy of 1 at 100 (its order and its fill) for `instance`.
    static func fill(_ store: any InstanceStore, _ id: String, instance: String) throws {
        var order = Order(id: id, instanceID: instance, market: "BTC-USD", request: OrderRequest(side: .buy, quantity: 1), status: .filled, createdAt: 1)
        order.filledQuantity = 1
        order.averagePrice = 100
        order.filledAt = 1
        try store.saveOrders([order])
        try store.appendFills([
            FillRecord(id: id, orderID: id, instanceID: instance, market: "BTC-USD", side: .buy, quantity: 1, price: 100, fee: 0, time: 1)
        ])
    }
}
