/// How the notifier delivers: queue sizes, timeouts, retries, how often it reads the webhooks.
public struct NotifierOptions: Sendable {
    /// Events waiting per webhook before the oldest is dropped.
    public var queueCapacity: Int
    /// Seconds to open a connection.
    public var connectTimeout: Double
    /// Seconds for a whole attempt (connect, send, answer).
    public var requestTimeout: Double
    public var retry: RetryPolicy
    /// Seconds between two reads of the webhooks from the store (a change through the CLI, the
    /// API or another node is picked up within this).
    public var refreshInterval: Double
    /// Delivery log lines waiting to be written before new ones are dropped (a store that is
    /// down must not grow the host).
    public var logBacklog: Int
    /// Engine events buffered between the event hub and the notifier.
    public var eventBuffer: Int

    public init(
        queueCapacity: Int = 500, connectTimeout: Double = 5, requestTimeout: Double = 10, retry: RetryPolicy = RetryPolicy(),
        refreshInterval: Double = 2, logBacklog: Int = 10_000, eventBuffer: Int = 10_000
    ) {
        self.queueCapacity = max(1, queueCapacity)
        self.connectTimeout = max(0.01, connectTimeout)
        self.requestTimeout = max(0.01, requestTimeout)
        self.retry = retry
        self.refreshInterval = max(0.01, refreshInterval)
        self.logBacklog = max(1, logBacklog)
        self.eventBuffer = max(1, eventBuffer)
    }
}
