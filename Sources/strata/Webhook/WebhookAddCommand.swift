import ArgumentParser
import Foundation
import StrataEngine
import StrataRuntime

/// `strata webhook add URL --events fill,notify [--secret S | --secret-env NAME]`.
struct WebhookAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a webhook: events of the given types are POSTed to URL, signed with the secret.",
        discussion: "Prefer --secret-env: a secret on the command line shows in the process list and the shell's history."
    )

    @OptionGroup var options: WebhookOptions

    @Argument(help: "An http:// or https:// URL.")
    var url: String

    @Option(help: "Comma-separated event types: \(WebhookEventType.names).")
    var events: String

    @Option(help: "The HMAC-SHA256 key of the Strata-Signature header (1–256 characters).")
    var secret: String?

    @Option(name: .customLong("secret-env"), help: "The name of an environment variable holding the secret.")
    var secretEnv: String?

    @Flag(help: "Store it disabled (it receives nothing until enabled).")
    var disabled = false

    @Flag(help: "Print the webhook as one JSON object.")
    var json = false

    func run() throws {
        if secret != nil, secretEnv != nil { failUsage("give --secret or --secret-env, not both") }
        var key = secret
        if let name = secretEnv {
            guard let value = ProcessInfo.processInfo.environment[name] else { failUsage("--secret-env: no environment variable \(name)") }
            key = value
        }
        let names = events.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let spec: WebhookSpec
        do {
            spec = try WebhookSpec(url: url, events: names == [""] ? [] : names, secret: key, enabled: !disabled)
        } catch let error as WebhookSpecError {
            failUsage(error.problems.map { "--\($0.field == "url" ? "URL" : $0.field): \($0.message)" }.joined(separator: "\n"))
        }
        let store = options.openStore(json: json)
        let webhook = options.perform(json: json) { try store.addWebhook(spec, actor: .cli) }
        if json {
            print(webhook.json.encoded())
        } else {
            print(
                "webhook \(webhook.id): \(webhook.url) (\(webhook.events.map(\.rawValue).joined(separator: ", ")))\(webhook.secret == nil ? ", unsigned" : ", signed")"
            )
        }
    }
}
