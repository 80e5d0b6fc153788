import ArgumentParser
import Foundation
import StrataEngine
import StrataRuntime

/// `strata webhook deliveries ID`.
struct WebhookDeliveriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deliveries", abstract: "Show a webhook's delivery log, newest first.")

    @OptionGroup var options: WebhookOptions

    @Argument(help: "The webhook's id.")
    var id: Int64

    @Option(help: "The most lines shown (1–1000).")
    var limit = 20

    @Flag(help: "Print {\"deliveries\": [...]} as JSON.")
    var json = false

    func run() throws {
        guard (1...1000).contains(limit) else { failUsage("--limit must be from 1 to 1000, got \(limit)") }
        let store = options.openStore(json: json)
        let known = options.perform(json: json) { try store.webhooks().contains { $0.id == id } }
        guard known else { InstanceFailure.exit("no webhook \(id)", json: json) }
        let lines = options.perform(json: json) { try store.deliveries(webhookID: id, limit: limit) }
        if json {
            print(JSONValue.object(["webhook_id": .integer(id), "deliveries": .array(lines.map(\.json))]).encoded())
            return
        }
        if lines.isEmpty { print("no deliveries yet") }
        for line in lines {
            let status = line.statusCode.map { "HTTP \($0)" } ?? "-"
            let attempt = line.outcome == .dropped ? "" : " attempt \(line.attempt)"
            print(
                "\(ISO8601DateFormatter().string(from: line.at))\t\(line.eventType.rawValue) \(line.eventID)\(attempt)\t\(line.outcome.rawValue)\t\(status)\t\(Int(line.durationMilliseconds)) ms\t\(line.error ?? "")"
            )
        }
    }
}
