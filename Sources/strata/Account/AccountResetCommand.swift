import ArgumentParser
import Foundation
import StrataEngine
import StrataHTTP
import StrataRuntime

/// `strata account reset NAME`.
struct AccountResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Reset a paper account: cash back to its starting cash, every position flat.",
        discussion: """
            Fundings go to 0; the account's instances lose their positions and open orders; the fills made \
            so far no longer count (a restarted engine does not replay them). Refused while an instance of \
            the account is active: set them to observe or off first. A running engine applies it before its \
            next tick round. In the control audit. Exit status: 0 ok; 1 no such account, active instances \
            or a database error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The account name.")
    var name: String

    @Flag(help: "Print the account as the API's Account JSON.")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        _ = AccountReport.require(name, store: store, options: options, json: json)
        let reset = options.perform(json: json) { try store.resetAccount(name, actor: .cli) }
        if json {
            print(APIJSON.account(AccountReport.statement(reset, store: store, options: options, json: json)).encoded())
        } else {
            print("account \(name) reset (\(reset.resets) so far): cash \(AccountReport.amount(reset.startingCash)) \(reset.baseCurrency)")
        }
    }
}
