/// Where an active instance's orders go. Each account names a broker; the embedded default is
/// the paper broker. A refused order is a value (`OrderRejection`), never a crash.
public protocol Broker: AnyObject {
    /// Places an order for `instance` at engine time `time`, with `price` the last market price.
    func placeOrder(_ request: OrderRequest, for instance: InstanceIdentity, price: Double?, time: Double) -> Result<Order, OrderRejection>
    /// Cancels an open order of `instance`.
    func cancelOrder(id: String, for instance: InstanceIdentity) -> Result<Void, OrderRejection>
    /// The open orders of `instance`.
    func openOrders(for instance: InstanceIdentity) -> [Order]
    /// The signed position of `instance` in its market (base units).
    func position(for instance: InstanceIdentity) -> Double
    /// The balance of `asset` in `instance`'s account.
    func balance(of asset: String, for instance: InstanceIdentity) -> Double
    /// Realised plus unrealised profit of `instance`, in the quote asset, at `price`.
    func pnl(for instance: InstanceIdentity, price: Double?) -> Double
    /// Lets resting orders fill against a new price.
    func marketMoved(_ tick: Tick)
}
