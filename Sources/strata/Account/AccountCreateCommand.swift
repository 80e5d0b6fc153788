import ArgumentParser
import Foundation
import StrataEngine
import StrataHTTP
import StrataRuntime

/// `strata account create NAME [--starting-cash N] [--currency USD] [--kind paper]`.
struct AccountCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an account.",
        discussion: """
            A paper account starts with --starting-cash in --currency; instances created on it trade from \
            that cash. (An instance naming an account that does not exist creates it: paper, USD, 100000.) \
            The creation is in the control audit. Exit status: 0 ok; 1 the name is taken or a database \
            error; 2 bad usage (the bad argument is named).
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The account name (1-100 characters).")
    var name: String

    @Option(help: "The cash it starts with, and goes back to at a reset (0 to 1e15).")
    var startingCash: String = "100000"

    @Option(help: "The currency its cash is counted in (3-10 letters A-Z).")
    var currency = AccountRecord.defaultCurrency

    @Option(help: "The kind of account (paper is the only kind).")
    var kind = AccountRecord.paperBroker

    @Flag(help: "Print the account as the API's Account JSON.")
    var json = false

    func run() throws {
        if let problem = AccountNames.problem(name) { failUsage("NAME \(problem)") }
        guard let cash = Double(startingCash.trimmingCharacters(in: .whitespaces)) else {
            failUsage("--starting-cash must be a number, got '\(startingCash.prefix(64))'")
        }
        if let problem = AccountRules.startingCashProblem(cash) { failUsage("--starting-cash \(problem)") }
        if let problem = AccountRules.currencyProblem(currency) { failUsage("--currency \(problem), got '\(currency.prefix(64))'") }
        if let problem = AccountRules.kindProblem(kind) { failUsage("--kind \(problem), got '\(kind.prefix(64))'") }
        let store = options.openStore(json: json)
        let account = AccountRecord(name: name, broker: kind, baseCurrency: currency, startingCash: cash)
        let created = options.perform(json: json) { try store.createAccount(account, actor: .cli) }
        if json {
            print(APIJSON.account(AccountReport.statement(created, store: store, options: options, json: json)).encoded())
        } else {
            print("account \(created.name) created: \(created.broker), \(AccountReport.amount(created.startingCash)) \(created.baseCurrency)")
        }
    }
}

/// What an account name may be on the command line (the API's rule: 1–100 characters, no control
/// or invisible characters, no spaces at either end).
enum AccountNames {
    static func problem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.unicodeScalars.count > 100 { return "must be at most 100 characters" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            return "must not contain control or invisible characters"
        }
        if name.first?.isWhitespace == true || name.last?.isWhitespace == true { return "must not start or end with spaces" }
        return nil
    }
}
