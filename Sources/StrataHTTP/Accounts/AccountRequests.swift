import Foundation
import StrataEngine
import StrataRuntime

/// The bodies of the account writes, checked field by field: an unknown key or a wrong type is a
/// 400 naming it, a value out of range a 422 naming it (all of them in one answer).
enum AccountRequests {
    /// `NewAccount`: `{"name", "kind"?, "base_currency"?, "starting_cash"?}`.
    static func newAccount(_ body: [String: JSONValue]) throws -> AccountRecord {
        var malformed = unknownFields(body, allowed: ["name", "kind", "base_currency", "starting_cash"])
        var refused: [APIError.FieldError] = []
        var account = AccountRecord(name: "")
        switch body["name"] {
        case .string(let name)?:
            if let problem = NewInstanceRequest.nameProblem(name) { malformed.append(.init("name", problem)) }
            account.name = name
        case nil, .null?: malformed.append(.init("name", "is required"))
        case let value?: malformed.append(.init("name", "must be a string, got \(value.typeName)"))
        }
        if let kind = text(body, "kind", errors: &malformed) {
            if let problem = AccountRules.kindProblem(kind) { refused.append(.init("kind", problem)) }
            account.broker = kind
        }
        if let currency = text(body, "base_currency", errors: &malformed) {
            if let problem = AccountRules.currencyProblem(currency) { refused.append(.init("base_currency", problem)) }
            account.baseCurrency = currency
        }
        if let cash = number(body, "starting_cash", errors: &malformed) {
            if let problem = AccountRules.startingCashProblem(cash) { refused.append(.init("starting_cash", problem)) }
            account.startingCash = cash
        }
        guard malformed.isEmpty else { throw APIError.badRequest(malformed) }
        guard refused.isEmpty else { throw APIError.invalid(refused) }
        return account
    }

    /// `Funding`: `{"amount"}`, above 0 and at most 1e15.
    static func funding(_ body: [String: JSONValue]) throws -> Double {
        var malformed = unknownFields(body, allowed: ["amount"])
        let amount = number(body, "amount", errors: &malformed)
        if amount == nil, body["amount"] == nil || body["amount"] == .null { malformed.append(.init("amount", "is required")) }
        guard malformed.isEmpty, let amount else { throw APIError.badRequest(malformed) }
        if let problem = AccountRules.fundingProblem(amount) { throw APIError.invalid([.init("amount", problem)]) }
        return amount
    }

    private static func unknownFields(_ body: [String: JSONValue], allowed: [String]) -> [APIError.FieldError] {
        body.keys.sorted().filter { !allowed.contains($0) }.map {
            .init(QueryReader.shown($0), "unknown field (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    private static func text(_ body: [String: JSONValue], _ key: String, errors: inout [APIError.FieldError]) -> String? {
        switch body[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let value?:
            errors.append(.init(key, "must be a string, got \(value.typeName)"))
            return nil
        }
    }

    private static func number(_ body: [String: JSONValue], _ key: String, errors: inout [APIError.FieldError]) -> Double? {
        switch body[key] {
        case nil, .null?: return nil
        case .integer(let value)?: return Double(value)
        case .number(let value)?: return value
        case let value?:
            errors.append(.init(key, "must be a number, got \(value.typeName)"))
            return nil
        }
    }
}
