import ArgumentParser
import Foundation
import StrataEngine
import StrataHTTP
import StrataRuntime

/// `strata account list [--json]`.
struct AccountListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the accounts: kind, currency, cash, equity and instances.",
        discussion: """
            Figures come from the database (no engine needed): the fills since each account's last reset \
            replayed from its base cash, positions marked at their market's last fill. Exit status: 0 ok; \
            1 a database error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Flag(help: "Print {\"accounts\": [Account…]} as the API does.")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        let (records, instances, history) = options.perform(json: json) {
            (try store.accounts(), try store.instances(), try store.tradingHistory())
        }
        let statements = records.map { AccountStatement.fromHistory(account: $0, instances: instances, history: history) }
        if json {
            print(JSONValue.object(["accounts": .array(statements.map(APIJSON.account))]).encoded())
            return
        }
        let rows = statements.map { statement in
            [
                statement.account.name, statement.account.broker, statement.account.baseCurrency, AccountReport.amount(statement.cash),
                AccountReport.amount(statement.equity), String(statement.instances.count),
            ]
        }
        print(AccountReport.table(header: ["NAME", "KIND", "CURRENCY", "CASH", "EQUITY", "INSTANCES"], rows: rows, rightAligned: [3, 4, 5]))
    }
}
