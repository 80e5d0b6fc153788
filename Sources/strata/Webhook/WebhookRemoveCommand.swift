import ArgumentParser
import Foundation
import StrataEngine
import StrataRuntime

/// `strata webhook remove ID`.
struct WebhookRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a webhook and its delivery log.")

    @OptionGroup var options: WebhookOptions

    @Argument(help: "The webhook's id (see `strata webhook list`).")
    var id: Int64

    @Flag(help: "Print {\"ok\": true, \"id\": ID} as JSON.")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        guard options.perform(json: json, { try store.removeWebhook(id: id, actor: .cli) }) else {
            InstanceFailure.exit("no webhook \(id)", json: json)
        }
        print(json ? JSONValue.object(["ok": .bool(true), "id": .integer(id)]).encoded() : "webhook \(id) removed")
    }
}
