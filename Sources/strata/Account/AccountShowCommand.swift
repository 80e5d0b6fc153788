import ArgumentParser
import Foundation
import StrataEngine
import StrataHTTP
import StrataRuntime

/// `strata account show NAME [--json]`.
struct AccountShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an account: cash, equity, profit, positions, instances and open orders.",
        discussion: """
            From the database (no engine needed): the fills since the account's last reset replayed from \
            its base cash (starting cash plus fundings), positions marked at their market's last fill \
            (price_source last_fill). Exit status: 0 ok; 1 no such account or a database error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The account name.")
    var name: String

    @Flag(help: "Print the API's Account JSON.")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        let record = AccountReport.require(name, store: store, options: options, json: json)
        let statement = AccountReport.statement(record, store: store, options: options, json: json)
        print(json ? APIJSON.account(statement).encoded() : AccountReport.text(statement))
    }
}
