import ArgumentParser
import Foundation
import StrataEngine
import StrataRuntime

/// `strata halt [--account A] [--reduce-only]`: the kill switch.
struct HaltCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "halt",
        abstract: "Stop every account (or one) from trading: the kill switch.",
        discussion: """
            Halted instances keep receiving ticks and thinking; their orders are refused and recorded \
            as signals, and their open orders are cancelled. With --reduce-only, orders that shrink \
            a position still pass. The halt is desired state: a running engine applies it before its \
            next tick round, and it holds across restarts until `strata resume`. Exit status: 0 ok; \
            1 no such account or a database error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Option(help: "Halt only this account (default: every account).")
    var account: String?

    @Flag(help: "Let orders that reduce a position through.")
    var reduceOnly = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        let halts = options.perform(json: json) { try store.setHalt(account: account, to: reduceOnly ? .reduceOnly : .halted, actor: .cli) }
        HaltReport.print(halts, json: json)
    }
}

/// `strata resume [--account A]`: lifts the kill switch.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Lift every halt (or one account's own halt).",
        discussion: "Exit status: 0 ok; 1 no such account or a database error; 2 bad usage."
    )

    @OptionGroup var options: InstanceOptions

    @Option(help: "Lift only this account's own halt (a halt of every account still holds).")
    var account: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        let halts = options.perform(json: json) {
            if let account { return try store.setHalt(account: account, to: .trading, actor: .cli) }
            return try store.resumeAll(actor: .cli)
        }
        HaltReport.print(halts, json: json)
    }
}

/// The halts in force, as the halt commands print them.
enum HaltReport {
    static func print(_ halts: [TradingHaltRecord], json: Bool) {
        if json {
            let list = halts.map { halt in
                JSONValue.object(["account": halt.account.map(JSONValue.string) ?? .null, "state": .string(halt.state.rawValue)])
            }
            Swift.print(JSONValue.object(["ok": .bool(true), "halts": .array(list)]).encoded())
        } else if halts.isEmpty {
            Swift.print("trading: no halt in force")
        } else {
            for halt in halts {
                Swift.print("\(halt.account.map { "account \($0)" } ?? "every account"): \(halt.state.rawValue.replacingOccurrences(of: "_", with: "-"))")
            }
        }
    }
}
