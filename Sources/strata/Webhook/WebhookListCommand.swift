import ArgumentParser
import Foundation
import StrataEngine
import StrataRuntime

/// `strata webhook list`.
struct WebhookListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the webhooks (never their secrets).")

    @OptionGroup var options: WebhookOptions

    @Flag(help: "Print {\"webhooks\": [...]} as JSON.")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        let webhooks = options.perform(json: json) { try store.webhooks() }
        if json {
            print(JSONValue.object(["webhooks": .array(webhooks.map(\.json))]).encoded())
            return
        }
        if webhooks.isEmpty { print("no webhooks") }
        for webhook in webhooks {
            let flags = [webhook.enabled ? nil : "disabled", webhook.secret == nil ? "unsigned" : "signed"].compactMap { $0 }
            print("\(webhook.id)\t\(webhook.url)\t\(webhook.events.map(\.rawValue).joined(separator: ","))\t\(flags.joined(separator: ", "))")
        }
    }
}
