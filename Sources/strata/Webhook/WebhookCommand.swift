import ArgumentParser
import Foundation
import StrataEngine
import StrataRuntime

/// `strata webhook …`: where `strata serve` posts engine events (fills, risk refusals, instance
/// errors, mode changes, halts, `context.notify`), in the database it reads.
struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Add, list and remove webhooks, and read their delivery logs.",
        discussion: """
            Every subcommand works on the database given by --db (strata.db by default), also while \
            `strata serve` runs on it: the server picks changes up within 2 seconds. Changes are \
            audited with actor `cli`. Events: \(WebhookEventType.names). How receivers verify the \
            signature: docs/api.md, "Webhooks".

            Exit status: 0 ok; 1 when the data refuses the request (no webhook with that id, 50 \
            webhooks already, a database error); 2 on bad usage (a bad URL, an unknown event, a bad secret).
            """,
        subcommands: [WebhookAddCommand.self, WebhookListCommand.self, WebhookRemoveCommand.self, WebhookDeliveriesCommand.self]
    )
}

/// The database option of every `strata webhook` subcommand.
struct WebhookOptions: ParsableArguments {
    @Option(help: "The database: a SQLite file (created with the schema if missing) or a postgres://USER@HOST:PORT/DATABASE URL.")
    var db = "strata.db"

    /// The store's webhooks, or exit 1.
    func openStore(json: Bool) -> any WebhookStore {
        let store = InstanceOptions(db: db).openStore(json: json)
        guard let webhooks = store as? any WebhookStore else { InstanceFailure.exit("this database keeps no webhooks", json: json) }
        return webhooks
    }

    /// Runs one store call; a thrown error exits 1 with a clear message.
    func perform<T>(json: Bool, _ body: () throws -> T) -> T {
        InstanceOptions(db: db).perform(json: json, body)
    }
}

extension InstanceOptions {
    init(db: String) {
        self.init()
        self.db = db
    }
}
