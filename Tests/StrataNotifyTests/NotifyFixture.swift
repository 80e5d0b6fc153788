import Foundation
import Logging
import StrataEngine
import StrataPersistence
import StrataRuntime

@testable import StrataNotify

/// A notifier over a fresh SQLite store and its own event hub, with short timeouts and backoff.
final class NotifyFixture: @unchecked Sendable {
    let folder: URL
    let store: SQLiteStore
    let events = EventHub()
    let notifier: Notifier

    static let logger: Logger = {
        var logger = Logger(label: "strata-notify-tests")
        logger.logLevel = .critical
        return logger
    }()

    static let fastOptions = NotifierOptions(
        queueCapacity: 100, connectTimeout: 1, requestTimeout: 0.5, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 0.2),
        refreshInterval: 0.1)

    init(options: NotifierOptions = NotifyFixture.fastOptions) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        notifier = Notifier(store: store, events: events, options: options, logger: Self.logger)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Adds a webhook and has the notifier read it.
    @discardableResult
    func add(url: String, events: [String], secret: String? = "top-secret") async throws -> Webhook {
        let webhook = try store.addWebhook(try WebhookSpec(url: url, events: events, secret: secret), actor: .cli)
        await notifier.reload()
        return webhook
    }

    /// The webhook's delivery log, oldest first, once `done` holds of it (up to `timeout` seconds).
    func deliveries(_ id: Int64, timeout: Double = 15, until done: ([WebhookDelivery]) -> Bool) async throws -> [WebhookDelivery] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            await notifier.flushLog()
            let lines = Array(try store.deliveries(webhookID: id, limit: 1000).reversed())
            if done(lines) || Date() > deadline { return lines }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension EngineEvent {
    /// A `notify` log line of `instance`.
    static func notify(_ instance: String, _ text: String) -> EngineEvent {
        EngineEvent(instanceID: instance, payload: .log(InstanceLogEntry(instanceID: instance, time: 1_700_000_000, level: .notify, message: text)))
    }
}
