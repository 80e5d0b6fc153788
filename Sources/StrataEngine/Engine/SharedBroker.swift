import Foundation
import StrataRuntime

/// The broker instances call, which several worker threads may call at once: the risk gate in
/// front of the paper broker, every call holding one lock. The engine reads the paper broker's
/// history through ``withBroker(_:)`` and sets the gate's limits through ``withGate(_:)``
/// between tick rounds, when no worker runs.
final class SharedBroker: Broker, @unchecked Sendable {
    private let lock = NSLock()
    private let base: PaperBroker
    private let gate: RiskGatedBroker

    init(_ base: PaperBroker) {
        self.base = base
        self.gate = RiskGatedBroker(base: base)
    }

    /// Runs `body` with the wrapped broker under the lock.
    func withBroker<T>(_ body: (PaperBroker) throws -> T) rethrows -> T {
        try lock.withLock { try body(base) }
    }

    /// Runs `body` with the risk gate under the lock.
    func withGate<T>(_ body: (RiskGatedBroker) throws -> T) rethrows -> T {
        try lock.withLock { try body(gate) }
    }

    func placeOrder(_ request: OrderRequest, for instance: InstanceIdentity, price: Double?, time: Double) -> Result<Order, OrderRejection> {
        lock.withLock { gate.placeOrder(request, for: instance, price: price, time: time) }
    }

    func cancelOrder(id: String, for instance: InstanceIdentity) -> Result<Void, OrderRejection> {
        lock.withLock { gate.cancelOrder(id: id, for: instance) }
    }

    func openOrders(for instance: InstanceIdentity) -> [Order] {
        lock.withLock { base.openOrders(for: instance) }
    }

    func position(for instance: InstanceIdentity) -> Double {
        lock.withLock { base.position(for: instance) }
    }

    func balance(of asset: String, for instance: InstanceIdentity) -> Double {
        lock.withLock { base.balance(of: asset, for: instance) }
    }

    func pnl(for instance: InstanceIdentity, price: Double?) -> Double {
        lock.withLock { base.pnl(for: instance, price: price) }
    }

    func marketMoved(_ tick: Tick) {
        lock.withLock { base.marketMoved(tick) }
    }
}
