import StrataRuntime

/// What one engine loop step produced, written to the store in one transaction
/// (``InstanceStore/appendActivity(_:)``): the ticks it journaled and the orders, fills,
/// signals and log lines they led to. A crash keeps all of a step or none of it, so every
/// journaled tick's decisions are stored with it and `strata replay` can compare them.
public struct ActivityBatch: Sendable, Equatable {
    /// Ticks for the journal (each carries its `seq`).
    public var ticks: [Tick] = []
    /// Orders to insert or update by id.
    public var orders: [Order] = []
    public var fills: [FillRecord] = []
    public var signals: [SignalRecord] = []
    public var logs: [InstanceLogEntry] = []

    public init(
        ticks: [Tick] = [], orders: [Order] = [], fills: [FillRecord] = [], signals: [SignalRecord] = [], logs: [InstanceLogEntry] = []
    ) {
        self.ticks = ticks
        self.orders = orders
        self.fills = fills
        self.signals = signals
        self.logs = logs
    }

    /// Nothing to write.
    public var isEmpty: Bool { ticks.isEmpty && orders.isEmpty && fills.isEmpty && signals.isEmpty && logs.isEmpty }
}
