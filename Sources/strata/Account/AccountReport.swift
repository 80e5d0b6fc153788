import Foundation
import StrataEngine
import StrataRuntime

/// How the account commands read an account and print it.
enum AccountReport {
    /// The account `name`, or exit 1 naming it and the command that lists them.
    static func require(_ name: String, store: any InstanceStore, options: InstanceOptions, json: Bool) -> AccountRecord {
        guard let record = options.perform(json: json, { try store.account(name: name) }) else {
            InstanceFailure.exit("no account \(shown(name)) (strata account list shows them)", json: json)
        }
        return record
    }

    /// The statement of `record` from the store's fills since its last reset.
    static func statement(_ record: AccountRecord, store: any InstanceStore, options: InstanceOptions, json: Bool) -> AccountStatement {
        let (instances, history) = options.perform(json: json) { (try store.instances(), try store.tradingHistory()) }
        return AccountStatement.fromHistory(account: record, instances: instances, history: history)
    }

    /// A name as an error message shows it: at most 100 characters, control and invisible
    /// characters as `?` (a terminal must not act on them).
    static func shown(_ name: String) -> String {
        let kept = name.unicodeScalars.prefix(100).map { scalar -> Character in
            let category = scalar.properties.generalCategory
            return category == .control || category == .format ? "?" : Character(scalar)
        }
        return String(kept) + (name.unicodeScalars.count > 100 ? "…" : "")
    }

    /// An amount with two decimals (no grouping: it reads back as a number).
    static func amount(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// A quantity or price, as short as it is exact.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The text of `account show`.
    static func text(_ statement: AccountStatement) -> String {
        let account = statement.account
        var lines = [
            "account \(account.name) (\(account.broker), \(account.baseCurrency))",
            "  starting cash \(amount(account.startingCash))  funded \(amount(account.funded))  resets \(account.resets)"
                + (account.resetAt.map { "  last reset \($0.formatted(.iso8601))" } ?? ""),
            "  cash \(amount(statement.cash))  equity \(amount(statement.equity))  (prices: \(statement.priceSource.rawValue.replacingOccurrences(of: "_", with: " ")))",
            "  realised \(amount(statement.realisedPnl))  unrealised \(amount(statement.unrealisedPnl))  fees \(amount(statement.fees))",
        ]
        if statement.instances.isEmpty {
            lines.append("instances: none")
        } else {
            lines.append("instances:")
            let rows = statement.instances.map { [$0.id, $0.market, $0.mode.rawValue, number($0.position), amount($0.pnl)] }
            lines += table(header: ["ID", "MARKET", "MODE", "POSITION", "PNL"], rows: rows, rightAligned: [3, 4])
                .split(separator: "\n").map { "  " + $0 }
        }
        if !statement.positions.isEmpty {
            lines.append("positions:")
            lines += statement.positions.map { position in
                "  \(position.market)  \(number(position.quantity)) @ \(number(position.averagePrice))"
                    + "  last \(position.lastPrice.map(number) ?? "-")  unrealised \(amount(position.unrealisedPnl))"
            }
        }
        lines.append("open orders: \(statement.openOrders.count)")
        return lines.joined(separator: "\n")
    }

    /// Rows under a header, columns padded to their widest cell.
    static func table(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
