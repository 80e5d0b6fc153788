import Foundation
import Logging
import StrataEngine
import StrataRuntime
import Synchronization

/// Posts engine events to the webhooks in the store: subscribed to the engine's ``EventHub``
/// (only to the kinds some webhook wants; with no webhooks, not at all), it turns events into
/// webhook events (``WebhookEventMapper``) and hands each to the queue of every webhook that
/// wants it; one task per webhook delivers (``WebhookWorker``). The engine never waits: the
/// hub's buffer, the queues and the delivery log are bounded, and nothing here runs on the
/// engine's thread.
///
/// ```swift
/// let notifier = Notifier(store: store, events: engine.events, logger: logger)
/// Task { await notifier.run() }          // until cancelled
/// notifier.post(.halt, instanceID: nil, data: ["account": .null])   // the kill switch moved
/// ```
public final class Notifier: Sendable {
    private struct Subscription {
        var kinds: Set<EngineEvent.Kind>
        var task: Task<Void, Never>
    }

    private struct Workers {
        var byID: [Int64: (worker: WebhookWorker, task: Task<Void, Never>)] = [:]
        var subscription: Subscription?
        var stopped = false
    }

    public let options: NotifierOptions
    private let store: any WebhookStore
    private let events: EventHub
    private let logger: Logger
    private let sender: WebhookSender
    private let log: DeliveryLog
    private let workers = Mutex(Workers())
    private let notifyGuard = Mutex(NotifyGuard())
    private let reader = DispatchQueue(label: "strata-webhook-reader")

    public init(store: any WebhookStore, events: EventHub, options: NotifierOptions = NotifierOptions(), logger: Logger) {
        self.store = store
        self.events = events
        self.options = options
        self.logger = logger
        sender = WebhookSender(options: options)
        log = DeliveryLog(store: store, capacity: options.logBacklog, logger: logger)
    }

    // MARK: Running

    /// Reads the webhooks every ``NotifierOptions/refreshInterval`` and delivers, until the task
    /// is cancelled; then stops the deliveries, writes the delivery log and closes the client.
    public func run() async {
        while !Task.isCancelled {
            await reload()
            try? await Task.sleep(for: .milliseconds(Int64(options.refreshInterval * 1000)))
        }
        await shutdown()
    }

    /// Reads the webhooks now: starts a worker for each new one, updates the others, stops the
    /// removed ones (their waiting events go with them), and subscribes to the kinds of engine
    /// events wanted. A failed read keeps what was read before (logged).
    public func reload() async {
        let read: [Webhook]
        do {
            read = try await offThread { [store] in try store.webhooks() }
        } catch {
            logger.error("webhooks: cannot read them from the store: \(error)")
            return
        }
        apply(read)
    }

    /// Stops every delivery, waits for the delivery log to be written, closes the HTTP client.
    /// Events posted afterwards are ignored.
    public func shutdown() async {
        let ended = workers.withLock { state -> [(WebhookWorker, Task<Void, Never>)] in
            state.stopped = true
            state.subscription?.task.cancel()
            state.subscription = nil
            defer { state.byID = [:] }
            return state.byID.values.map { ($0.worker, $0.task) }
        }
        for (worker, task) in ended {
            worker.stop()
            task.cancel()
        }
        for (_, task) in ended { await task.value }
        await log.drain()
        await sender.shutdown()
    }

    // MARK: Events

    /// Posts an event that does not come from the event hub — a halt or a resume of trading —
    /// to every webhook that wants `type`. Returns at once (callable from the engine's thread).
    /// - Parameters:
    ///   - instanceID: the instance concerned, nil for none.
    ///   - data: the event's `data` (an object; more than ``WebhookEvent/maxDataBytes`` encoded
    ///     is replaced by `{"truncated": true}`).
    public func post(_ type: WebhookEventType, instanceID: String? = nil, data: [String: JSONValue] = [:]) {
        dispatch(WebhookEvent(type: type, instanceID: instanceID, data: .object(data)))
    }

    /// Whether `event` passes the notifier's own bound on `notify` events (``NotifyGuard``).
    private func admits(_ event: WebhookEvent) -> Bool {
        guard event.type == .notify else { return true }
        let now = Date().timeIntervalSince1970
        return notifyGuard.withLock { $0.admit(event.instanceID ?? "", at: now) }
    }

    /// `notify` events refused by the notifier's own per-instance bound (the scripts' limit passed).
    public var refusedNotifications: Int { notifyGuard.withLock { $0.refused } }

    /// Hands `event` to every webhook that wants it.
    func dispatch(_ event: WebhookEvent) {
        let current = workers.withLock { $0.stopped ? [] : $0.byID.values.map(\.worker) }
        for worker in current { worker.offer(event) }
    }

    /// Waits until the delivery log lines recorded so far are in the store (tests).
    public func flushLog() async {
        await log.drain()
    }

    /// One webhook's counts: events waiting, delivered, failed (attempts exhausted), dropped.
    public func counts(webhookID: Int64) -> (waiting: Int, delivered: Int, failed: Int, dropped: Int)? {
        workers.withLock { $0.byID[webhookID]?.worker.counts }
    }

    /// Delivery log lines lost (the backlog was full, or the store refused them).
    public var lostLogLines: Int { log.lost }

    // MARK: Applying a reading

    private func apply(_ read: [Webhook]) {
        let wanted = Dictionary(read.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var ended: [(WebhookWorker, Task<Void, Never>)] = []
        let kinds = WebhookEventMapper.kinds(for: Set(read.filter(\.enabled).flatMap(\.events)))
        let (sender, log, retry, capacity) = (sender, log, options.retry, options.queueCapacity)
        let resubscribe = workers.withLock { state -> Bool in
            guard !state.stopped else { return false }
            for (id, entry) in state.byID where wanted[id] == nil {
                ended.append((entry.worker, entry.task))
                state.byID[id] = nil
            }
            for webhook in read {
                if let entry = state.byID[webhook.id] {
                    entry.worker.update(webhook)
                } else {
                    let worker = WebhookWorker(webhook: webhook, queueCapacity: capacity)
                    let task = Task { await worker.run(sender: sender, log: log, retry: retry) }
                    state.byID[webhook.id] = (worker, task)
                }
            }
            return state.subscription?.kinds != kinds
        }
        for (worker, task) in ended {
            worker.stop()
            task.cancel()
        }
        if resubscribe { subscribe(to: kinds) }
    }

    /// Replaces the hub subscription by one for `kinds` (none: no subscription). The new one is
    /// made before the old one ends, so no event falls between them.
    private func subscribe(to kinds: Set<EngineEvent.Kind>) {
        var task: Task<Void, Never>?
        if !kinds.isEmpty {
            let stream = events.subscribe(EventHub.Filter(kinds: kinds), buffer: options.eventBuffer)
            task = Task { [weak self] in
                for await event in stream {
                    guard let self else { return }
                    if let mapped = WebhookEventMapper.webhookEvent(for: event), self.admits(mapped) { self.dispatch(mapped) }
                }
            }
        }
        let old = workers.withLock { state -> Task<Void, Never>? in
            let old = state.subscription?.task
            state.subscription = task.map { Subscription(kinds: kinds, task: $0) }
            if state.stopped {
                state.subscription = nil
                task?.cancel()
            }
            return old
        }
        old?.cancel()
    }

    private func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            reader.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
