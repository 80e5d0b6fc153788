import ArgumentParser
import StrataEngine
import StrataRuntime

/// `strata account …`: accounts as records, and what all the instances of one account share.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Create, list, show, fund and reset accounts; change what their instances share (risk limits).",
        subcommands: [
            AccountCreateCommand.self, AccountListCommand.self, AccountShowCommand.self, AccountFundCommand.self, AccountResetCommand.self,
            AccountSetRiskCommand.self,
        ]
    )
}

/// `strata account set-risk NAME LIMIT=VALUE… | --clear`.
struct AccountSetRiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-risk",
        abstract: "Change an account's risk limits (merged over its current limits).",
        discussion: """
            The account's limits hold for all its instances in one market together (their positions, \
            orders per minute and day's profit added up), after each instance's own limits. Limits \
            and exit status as for `strata instance set-risk`; the change is in the control audit.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The account name.")
    var name: String

    @OptionGroup var edit: RiskLimitsEdit

    func run() throws {
        let store = options.openStore(json: edit.json)
        let current = options.perform(json: edit.json) { try store.riskSettings().accountLimits[name] ?? .none }
        let limits = edit.apply(to: current)
        options.perform(json: edit.json) { _ = try store.setRiskLimits(account: name, to: limits, actor: .cli) }
        edit.report("account \(name)", limits)
    }
}
