import Foundation
import StrataRuntime

/// What both stores check before an account write, and what they write in the control audit:
/// one place, so that SQLite and PostgreSQL refuse and record alike.
public enum AccountAudit {
    /// Checks a new account's fields (``AccountRules``).
    /// - Throws: `invalidArgument` naming the first bad field.
    public static func check(_ account: AccountRecord, operation: String) throws {
        let problems: [(String, String?)] = [
            ("name", account.name.isEmpty ? "must not be empty" : nil), ("kind", AccountRules.kindProblem(account.broker)),
            ("base_currency", AccountRules.currencyProblem(account.baseCurrency)),
            ("starting_cash", AccountRules.startingCashProblem(account.startingCash)),
        ]
        if case (let field, let problem?)? = problems.first(where: { $0.1 != nil }) {
            throw StoreError(.invalidArgument, "\(field) \(problem)", operation: operation)
        }
    }

    /// Checks a funding of `account` by `amount`.
    /// - Throws: `invalidArgument` naming `amount`.
    public static func checkFunding(_ amount: Double, of account: AccountRecord) throws {
        if let problem = AccountRules.fundingProblem(amount) {
            throw StoreError(.invalidArgument, "amount \(problem)", operation: "fundAccount")
        }
        guard account.baseCash + amount <= AccountRules.maxCash else {
            throw StoreError(
                .invalidArgument, "amount would take account \(account.name)'s cash above 1e15 (it has \(account.baseCash) before trading)",
                operation: "fundAccount")
        }
    }

    /// Checks that `account` may be reset while the instances `active` are active.
    /// - Throws: `conflict` naming them; `invalidArgument` for an account that is not paper.
    public static func checkReset(_ account: AccountRecord, active: [String]) throws {
        guard account.broker == AccountRecord.paperBroker else {
            throw StoreError(.invalidArgument, "account \(account.name) is \(account.broker): only paper accounts can be reset", operation: "resetAccount")
        }
        guard active.isEmpty else {
            let shown = active.prefix(20).joined(separator: ", ") + (active.count > 20 ? " and \(active.count - 20) more" : "")
            throw StoreError(
                .conflict,
                "account \(account.name) has active instances (\(shown)): set them to observe or off before resetting it",
                operation: "resetAccount")
        }
    }

    /// The `new` value of an `account` entry.
    public static func created(_ account: AccountRecord) -> JSONValue {
        .object([
            "name": .string(account.name), "kind": .string(account.broker), "base_currency": .string(account.baseCurrency),
            "starting_cash": .number(account.startingCash),
        ])
    }

    /// An account's fundings (and the amount a funding added).
    public static func funding(_ account: AccountRecord, amount: Double?) -> JSONValue {
        var value: [String: JSONValue] = ["funded": .number(account.funded), "starting_cash": .number(account.startingCash)]
        if let amount { value["amount"] = .number(amount) }
        return .object(value)
    }

    /// The `new` value of a `reset` entry.
    public static func reset(_ account: AccountRecord) -> JSONValue {
        .object(["funded": .number(account.funded), "starting_cash": .number(account.startingCash), "resets": .integer(Int64(account.resets))])
    }
}
