import Foundation
import StrataRuntime

/// The paper broker's fields a research request may give (`cash`, `fee_bps`, `slippage_bps`,
/// `fill`), checked as one part of a body: a bad value is a field error, a missing one the
/// CLI's default.
struct BrokerFields {
    static let names = ["cash", "fee_bps", "slippage_bps", "fill"]

    var cash = 100_000.0
    var feeBps = 0.0
    var slippageBps = 0.0
    var fill = PaperBroker.FillModel.nextOpen

    /// The settings as a run's `parameters` keep them.
    var parameters: [String: JSONValue] {
        ["cash": .number(cash), "fee_bps": .number(feeBps), "slippage_bps": .number(slippageBps), "fill": .string(fill.rawValue)]
    }

    init(_ body: [String: JSONValue], errors: inout [APIError.FieldError]) {
        cash = Self.number(body, "cash", default: cash, valid: { $0 > 0 && $0 <= 1e12 }, range: "more than 0 and at most 1e12", &errors)
        feeBps = Self.number(body, "fee_bps", default: feeBps, valid: { $0 >= 0 && $0 < 10_000 }, range: "from 0 to below 10000", &errors)
        slippageBps = Self.number(
            body, "slippage_bps", default: slippageBps, valid: { $0 >= 0 && $0 < 10_000 }, range: "from 0 to below 10000", &errors)
        switch body["fill"] {
        case nil: break
        case .string(let text)?:
            if let model = PaperBroker.FillModel(rawValue: text) {
                fill = model
            } else {
                errors.append(.init("fill", "must be \"next-open\" or \"close\", got '\(QueryReader.shown(text))'"))
            }
        case let value?: errors.append(.init("fill", "must be \"next-open\" or \"close\", got \(value.typeName)"))
        }
    }

    /// Sets these fields of a broker's settings (the rest keep theirs).
    func apply(to settings: inout PaperBroker.Settings) {
        settings.startingCash = cash
        settings.feeBps = feeBps
        settings.slippageBps = slippageBps
        settings.fillModel = fill
    }

    /// A number field within `valid`, else `value` and a field error.
    static func number(
        _ body: [String: JSONValue], _ field: String, default value: Double, valid: (Double) -> Bool, range: String,
        _ errors: inout [APIError.FieldError]
    ) -> Double {
        guard let raw = body[field] else { return value }
        guard let number = raw.doubleValue, number.isFinite, valid(number) else {
            errors.append(.init(field, raw.doubleValue == nil ? "must be a number, got \(raw.typeName)" : "must be \(range)"))
            return value
        }
        return number
    }
}
