import Foundation
import StrataEngine
import StrataRuntime

// The accounts' shapes (schemas/openapi.yaml: Account, AccountList, ControlAuditEntry).
extension APIJSON {
    /// `Account`: the account's record and its statement (cash, equity, instances, positions,
    /// open orders) with where its prices came from.
    public static func account(_ statement: AccountStatement) -> JSONValue {
        let record = statement.account
        return .object([
            "name": .string(record.name), "kind": .string(record.broker), "base_currency": .string(record.baseCurrency),
            "starting_cash": number(record.startingCash), "funded": number(record.funded), "cash": number(statement.cash),
            "equity": number(statement.equity), "realised_pnl": number(statement.realisedPnl),
            "unrealised_pnl": number(statement.unrealisedPnl), "fees": number(statement.fees),
            "resets": .integer(Int64(record.resets)), "reset_at": optional(record.resetAt, time), "created_at": time(record.createdAt),
            "instances": .array(
                statement.instances.map { line in
                    .object([
                        "id": .string(line.id), "market": .string(line.market), "mode": .string(line.mode.rawValue),
                        "position": number(line.position), "pnl": number(line.pnl),
                    ])
                }),
            "positions": .array(
                statement.positions.map { position in
                    .object([
                        "market": .string(position.market), "quantity": number(position.quantity),
                        "average_price": number(position.averagePrice), "last_price": optional(position.lastPrice, number),
                        "unrealised_pnl": number(position.unrealisedPnl),
                        "instances": .array(position.instances.map { .object(["id": .string($0.id), "quantity": number($0.quantity)]) }),
                    ])
                }),
            "open_orders": .array(statement.openOrders.map(order)),
            "price_source": .string(statement.priceSource.rawValue),
        ])
    }

    /// A control audit entry (account limits, halts, account creation, funding, reset).
    static func controlAudit(_ entry: ControlAuditEntry) -> JSONValue {
        .object([
            "id": .integer(entry.id), "at": time(entry.at), "actor": .string(entry.actor.rawValue),
            "account": entry.account.map(JSONValue.string) ?? .null, "field": .string(entry.field.rawValue),
            "old": entry.old ?? .null, "new": entry.new,
        ])
    }
}
