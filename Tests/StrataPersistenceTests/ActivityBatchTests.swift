import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime
import Testing

/// `appendActivity`: a loop step's ticks, orders, fills, signals and logs are one transaction
/// on both stores, so a crash or a failed write never keeps a journaled tick without the
/// decisions it led to.
@Suite struct ActivityBatchTests {
    /// One step of instance `a`: two ticks, a filled order and its fill, a signal, a log line.
    static func step(_ first: Int64) -> ActivityBatch {
        var ticks = [first, first + 1].map { seq in
            var tick = Tick(market: "BTC-USD", ts: Double(seq), price: 100 + Double(seq))
            tick.seq = seq
            return tick
        }
        ticks[1].volume = 2
        var request = OrderRequest(side: .buy, quantity: 1)
        request.tickSeq = first
        var order = Order(
            id: "o\(first)", instanceID: "a", market: "BTC-USD", request: request, status: .filled, filledQuantity: 1,
            averagePrice: 101, createdAt: Double(first))
        order.filledAt = Double(first)
        var refused = OrderRequest(side: .sell, quantity: 5)
        refused.tickSeq = first + 1
        return ActivityBatch(
            ticks: ticks, orders: [order],
            fills: [
                FillRecord(
                    id: order.id, orderID: order.id, instanceID: "a", market: "BTC-USD", side: .buy, quantity: 1, price: 101, fee: 0,
                    time: Double(first), tickSeq: first)
            ],
            signals: [SignalRecord(instanceID: "a", request: refused, time: Double(first + 1), price: 102)],
            logs: [InstanceLogEntry(instanceID: "a", time: Double(first + 1), level: .info, message: "step \(first)")])
    }

    /// Each table refuses its inserts in turn (as a full disk or a broken constraint would).
    static let tables = ["tick_journal", "orders", "fills", "signals", "instance_logs"]

    static func refuse(_ table: String, _ kind: StoreKind) -> String {
        switch kind {
        case .sqlite: "CREATE TRIGGER refuse BEFORE INSERT ON \(table) BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
        case .postgres:
            """
            CREATE OR REPLACE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON \(table) FOR EACH ROW EXECUTE FUNCTION refuse();
            """
        }
    }

    static func allow(_ table: String) -> String { "DROP TRIGGER refuse ON \(table);" }

    @Test(arguments: StoreKind.allCases) func aStepIsWrittenWholeOrNotAtAll(_ kind: StoreKind) throws {
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .active, config: [:], actor: .cli)

        for table in Self.tables {
            // Given a database that refuses one of the five kinds of row
            #expect(try db.shell(Self.refuse(table, kind)).status == 0)

            // When a step is written, the write fails and leaves nothing of it
            #expect(throws: StoreError.self, "\(table)") { try store.appendActivity(Self.step(1)) }
            #expect(try store.lastTickSeq() == 0, "\(table)")
            #expect(try store.journaledTicks(market: "BTC-USD", after: 0, through: nil, limit: 10).isEmpty, "\(table)")
            #expect(try store.orders(instanceID: "a", limit: 10).isEmpty, "\(table)")
            #expect(try store.fills(instanceID: "a", limit: 10).isEmpty, "\(table)")
            #expect(try store.signals(instanceID: "a", limit: 10).isEmpty, "\(table)")
            #expect(try store.logs(instanceID: "a", limit: 10).isEmpty, "\(table)")
            let drop = kind == .sqlite ? "DROP TRIGGER refuse;" : Self.allow(table)
            #expect(try db.shell(drop).status == 0)
        }

        // Then the same step, written again once the database accepts it, is stored whole
        try store.appendActivity(Self.step(1))
        try store.appendActivity(Self.step(3))
        let ticks = try store.journaledTicks(market: "BTC-USD", after: 0, through: nil, limit: 10)
        #expect(ticks.map(\.seq) == [1, 2, 3, 4])
        #expect(ticks[1].volume == 2)
        #expect(try store.lastTickSeq() == 4)
        let orders = try store.orders(instanceID: "a", limit: 10)
        #expect(orders.map(\.id) == ["o1", "o3"])
        #expect(orders.map(\.request.tickSeq) == [1, 3])
        #expect(try store.fills(instanceID: "a", limit: 10).map(\.tickSeq) == [1, 3])
        #expect(try store.signals(instanceID: "a", limit: 10).map(\.request.tickSeq) == [2, 4])
        #expect(try store.logs(instanceID: "a", limit: 10).map(\.message) == ["step 1", "step 3"])
        // And an empty step writes nothing and moves nothing
        let token = try store.changeToken()
        try store.appendActivity(ActivityBatch())
        #expect(try store.changeToken() == token)
    }

    @Test(arguments: StoreKind.allCases) func aStepOfSeveralInstancesIsOneWrite(_ kind: StoreKind) throws {
        // Given two instances, and a step where each placed an order and logged
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .active, config: [:], actor: .cli)
        try store.createInstance(.sample("b"), mode: .active, config: [:], actor: .cli)
        var batch = Self.step(1)
        var other = Self.step(1)
        other.orders[0].id = "b1"
        other.orders[0].instanceID = "b"
        other.fills[0].id = "b1"
        other.fills[0].orderID = "b1"
        other.fills[0].instanceID = "b"
        other.logs[0].instanceID = "b"
        batch.orders += other.orders
        batch.fills += other.fills
        batch.logs += other.logs

        // When b's log line is refused, a's rows are not kept either
        let refuse =
            switch kind {
            case .sqlite:
                "CREATE TRIGGER refuse BEFORE INSERT ON instance_logs WHEN NEW.instance_id = 'b' BEGIN SELECT RAISE(ABORT, 'b refused'); END;"
            case .postgres:
                """
                CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'b refused'; END $$;
                CREATE TRIGGER refuse BEFORE INSERT ON instance_logs FOR EACH ROW WHEN (NEW.instance_id = 'b') EXECUTE FUNCTION refuse();
                """
            }
        #expect(try db.shell(refuse).status == 0)
        #expect(throws: StoreError.self) { try store.appendActivity(batch) }
        #expect(try store.orders(instanceID: "a", limit: 10).isEmpty)
        #expect(try store.lastTickSeq() == 0)

        // Then once accepted, both instances' rows are there
        #expect(try db.shell(kind == .sqlite ? "DROP TRIGGER refuse;" : Self.allow("instance_logs")).status == 0)
        try store.appendActivity(batch)
        #expect(try store.orders(instanceID: "a", limit: 10).map(\.id) == ["o1"])
        #expect(try store.orders(instanceID: "b", limit: 10).map(\.id) == ["b1"])
        #expect(try store.logs(instanceID: "b", limit: 10).map(\.message) == ["step 1"])
    }
}
