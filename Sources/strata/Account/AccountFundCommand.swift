import ArgumentParser
import Foundation
import StrataEngine
import StrataHTTP
import StrataRuntime

/// `strata account fund NAME AMOUNT`.
struct AccountFundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fund",
        abstract: "Add cash to an account.",
        discussion: """
            The account's base cash (starting cash plus fundings) and its cash grow by AMOUNT (above 0, \
            at most 1e15; the base cash stays at most 1e15). A running engine applies it before its next \
            tick round. In the control audit. Exit status: 0 ok; 1 no such account or a database error; \
            2 bad usage (a bad AMOUNT is named).
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The account name.")
    var name: String

    // Every word that is no option, so that `-5` reaches the check (and is named) rather than
    // being taken for an unknown option.
    @Argument(parsing: .allUnrecognized, help: "The amount to add, in the account's currency.")
    var amount: [String] = []

    @Flag(help: "Print the account as the API's Account JSON.")
    var json = false

    func run() throws {
        guard amount.count == 1 else { failUsage("AMOUNT is required, once (got \(amount.count) values)") }
        guard let value = Double(amount[0].trimmingCharacters(in: .whitespaces)) else {
            failUsage("AMOUNT must be a number, got '\(amount[0].prefix(64))'")
        }
        if let problem = AccountRules.fundingProblem(value) { failUsage("AMOUNT \(problem)") }
        let store = options.openStore(json: json)
        _ = AccountReport.require(name, store: store, options: options, json: json)
        let funded: AccountRecord
        do {
            funded = try store.fundAccount(name, amount: value, actor: .cli)
        } catch let error as StoreError where error.code == .invalidArgument {
            failUsage("AMOUNT: \(error.message)")
        } catch {
            InstanceFailure.exit(InstanceOptions.describe(error, database: StoreOpening.describe(options.db)), json: json)
        }
        if json {
            print(APIJSON.account(AccountReport.statement(funded, store: store, options: options, json: json)).encoded())
        } else {
            print("account \(name) funded \(AccountReport.amount(value)): base cash \(AccountReport.amount(funded.baseCash)) \(funded.baseCurrency)")
        }
    }
}
