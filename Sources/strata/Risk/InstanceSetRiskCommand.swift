import ArgumentParser
import StrataEngine
import StrataRuntime

/// `strata instance set-risk ID LIMIT=VALUE… | --clear`.
struct InstanceSetRiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-risk",
        abstract: "Change an instance's risk limits (merged over its current limits).",
        discussion: """
            Every order the instance places passes these limits before any broker sees it; a refused \
            order returns nil and a reason to the script and is recorded as a signal naming the rule. \
            Limits: max_position (base units, open orders counted), max_order_quantity, \
            max_order_notional (quantity × price), max_orders_per_minute, max_daily_loss (since 00:00 \
            UTC; past it only orders that reduce the position pass until the next day). A limit set \
            to none is removed. The change is audited (field `risk`) and a running engine applies it \
            before its next tick round. Exit status: 0 ok; 1 no such instance, a refused value or a \
            database error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The instance id.")
    var id: String

    @OptionGroup var edit: RiskLimitsEdit

    func run() throws {
        let store = options.openStore(json: edit.json)
        _ = options.requireInstance(id, in: store, json: edit.json)
        let current = options.perform(json: edit.json) { try store.riskSettings().instanceLimits[id] ?? .none }
        let limits = edit.apply(to: current)
        options.perform(json: edit.json) { _ = try store.setRiskLimits(instanceID: id, to: limits, actor: .cli) }
        edit.report(id, limits)
    }
}
