import ArgumentParser
import StrataEngine
import StrataRuntime

/// The limits a `set-risk` command asks for: KEY=VALUE changes (`none` or `null` clears one)
/// merged over the current limits, or `--clear` for none.
struct RiskLimitsEdit: ParsableArguments {
    @Argument(help: "LIMIT=VALUE changes: max_position, max_order_quantity, max_order_notional, max_orders_per_minute, max_daily_loss (none clears).")
    var assignments: [String] = []

    @Flag(help: "Remove every limit.")
    var clear = false

    @Flag(help: "Print JSON.")
    var json = false

    /// The limits after the changes, or exit 2 on a malformed argument and 1 on a refused value.
    func apply(to current: RiskLimits) -> RiskLimits {
        guard clear || !assignments.isEmpty else {
            failUsage("give LIMIT=VALUE changes (like max_position=2) or --clear")
        }
        guard !(clear && !assignments.isEmpty) else { failUsage("--clear takes no LIMIT=VALUE changes") }
        guard case .object(var object) = clear ? .object([:]) : current.json else { return .none }
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                failUsage("expected LIMIT=VALUE (like max_position=2), got '\(assignment)'")
            }
            let text = String(assignment[assignment.index(after: equals)...])
            object[String(assignment[..<equals])] = text == "none" ? .null : JSONValue(parsing: text) ?? .string(text)
        }
        switch RiskLimits.parse(.object(object)) {
        case .success(let limits): return limits
        case .failure(let errors): InstanceFailure.exit(errors, json: json, subject: "risk limits")
        }
    }

    /// Prints `limits` of `subject` as text or JSON.
    func report(_ subject: String, _ limits: RiskLimits) {
        if json {
            print(JSONValue.object(["ok": .bool(true), "limits": limits.json]).encoded())
        } else {
            print("\(subject): risk limits \(limits.isEmpty ? "none" : limits.json.encoded())")
        }
    }
}
