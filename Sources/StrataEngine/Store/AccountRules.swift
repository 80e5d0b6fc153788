/// What an account's fields may be, checked alike by the CLI, the API and the stores: each
/// check returns why a value is refused (a sentence to put after the field's name), or nil.
public enum AccountRules {
    /// The largest amount of cash an account may hold as starting cash, funding or base cash.
    public static let maxCash = 1e15
    /// The kinds of account there are (`paper` only today).
    public static let kinds = [AccountRecord.paperBroker]

    /// Why `amount` cannot be a funding: it must be a finite number above 0 and at most 1e15.
    public static func fundingProblem(_ amount: Double) -> String? {
        guard amount.isFinite else { return "must be a finite number, got \(amount)" }
        guard amount > 0 else { return "must be more than 0, got \(amount)" }
        guard amount <= maxCash else { return "must be at most 1e15, got \(amount)" }
        return nil
    }

    /// Why `amount` cannot be a starting cash: it must be a finite number from 0 to 1e15.
    public static func startingCashProblem(_ amount: Double) -> String? {
        guard amount.isFinite else { return "must be a finite number, got \(amount)" }
        guard amount >= 0 else { return "must not be negative, got \(amount)" }
        guard amount <= maxCash else { return "must be at most 1e15, got \(amount)" }
        return nil
    }

    /// Why `code` cannot be a base currency: 3 to 10 letters A–Z.
    public static func currencyProblem(_ code: String) -> String? {
        let valid = (3...10).contains(code.utf8.count) && code.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        return valid ? nil : "must be 3 to 10 capital letters A-Z (like USD or USDT)"
    }

    /// Why `kind` cannot be an account's kind: only `paper` exists.
    public static func kindProblem(_ kind: String) -> String? {
        kinds.contains(kind) ? nil : "must be \(kinds.joined(separator: " or ")) (the only kind of account there is)"
    }
}
