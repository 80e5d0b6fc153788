import Foundation
import StrataEngine
import Synchronization

/// Delivers one webhook's events, one at a time and in order: its bounded queue, and a task that
/// takes the oldest event, POSTs it, and retries it with backoff until it is delivered or its
/// attempts run out. Every attempt, and every run of drops, is a line of the delivery log.
/// Enqueueing takes a lock and rings a doorbell: it never waits for the receiver.
final class WebhookWorker: Sendable {
    private struct State {
        var webhook: Webhook
        var queue: DeliveryQueue
        var delivered = 0
        var failed = 0
    }

    let id: Int64
    private let state: Mutex<State>
    private let doorbell: AsyncStream<Void>.Continuation
    private let rings: AsyncStream<Void>

    init(webhook: Webhook, queueCapacity: Int) {
        id = webhook.id
        state = Mutex(State(webhook: webhook, queue: DeliveryQueue(capacity: queueCapacity)))
        (rings, doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The webhook as last read from the store.
    var webhook: Webhook { state.withLock { $0.webhook } }

    /// Takes a newer reading of the webhook (the next attempt uses it).
    func update(_ webhook: Webhook) {
        state.withLock { $0.webhook = webhook }
    }

    /// Queues `event` if the webhook wants it. Never blocks on delivery.
    func offer(_ event: WebhookEvent) {
        let queued = state.withLock { state -> Bool in
            guard state.webhook.wants(event.type) else { return false }
            state.queue.push(event)
            return true
        }
        if queued { doorbell.yield() }
    }

    /// Counts, for tests and metrics.
    var counts: (waiting: Int, delivered: Int, failed: Int, dropped: Int) {
        state.withLock { ($0.queue.count, $0.delivered, $0.failed, $0.queue.droppedTotal) }
    }

    /// Ends ``run(sender:log:retry:)`` after its current attempt.
    func stop() {
        doorbell.finish()
    }

    /// Delivers until ``stop()`` or cancellation.
    func run(sender: WebhookSender, log: DeliveryLog, retry: RetryPolicy) async {
        for await _ in rings {
            while !Task.isCancelled {
                let (next, dropped, lastDropped) = state.withLock { $0.queue.take() }
                if dropped > 0, let lastDropped {
                    log.record(
                        WebhookDelivery(
                            webhookID: id, eventID: lastDropped.id, eventType: lastDropped.type, attempt: 0, at: Date(), outcome: .dropped,
                            error: "the queue was full: dropped the \(dropped) oldest waiting event\(dropped == 1 ? "" : "s") (this one the newest of them)"
                        ))
                }
                guard let next else { break }
                await deliver(next, sender: sender, log: log, retry: retry)
            }
            if Task.isCancelled { return }
        }
    }

    private func deliver(_ event: WebhookEvent, sender: WebhookSender, log: DeliveryLog, retry: RetryPolicy) async {
        var attempt = 1
        while true {
            let webhook = self.webhook
            let started = Date()
            let result = await sender.post(event, to: webhook, now: started)
            let retryable = !result.delivered && RetryPolicy.isRetryable(status: result.statusCode)
            let again = retryable && attempt < retry.maxAttempts && !Task.isCancelled
            let outcome: WebhookDelivery.Outcome = result.delivered ? .delivered : again ? .retrying : .failed
            var error = result.error
            if outcome == .failed, let reason = error {
                error = retryable ? "gave up after \(attempt) attempt\(attempt == 1 ? "" : "s"): \(reason)" : "not retried: \(reason)"
            }
            log.record(
                WebhookDelivery(
                    webhookID: id, eventID: event.id, eventType: event.type, attempt: attempt, at: started, outcome: outcome,
                    statusCode: result.statusCode, error: error, durationMilliseconds: result.milliseconds))
            switch outcome {
            case .delivered:
                state.withLock { $0.delivered += 1 }
                return
            case .failed, .dropped:
                state.withLock { $0.failed += 1 }
                return
            case .retrying:
                let seconds = retry.delay(after: attempt, jitter: Double.random(in: 0...1))
                do {
                    try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                } catch {
                    return
                }
                attempt += 1
            }
        }
    }
}
