import StrataIsolation
import StrataRuntime

/// The broker as scripts in a worker process see it. The engine keeps the one real broker:
/// placing and cancelling are questions to it over the channel, answered before the script's
/// call goes on; reads come from a mirror of each instance's view that the engine sends with
/// each round (when it changed) and with each answer. So a script reads its own position,
/// orders and cash as of the round's start plus its own trades; another instance's trade on
/// the same account shows from the next round. Used by the worker's one script thread.
final class MirrorBroker: Broker {
    /// By instance id.
    var views: [String: HostView] = [:]
    /// The slot of each instance id.
    var slots: [String: Int] = [:]
    private let channel: WorkerChannel
    private let coder = HostCoder()
    /// Set when the engine cannot be reached: the worker ends after the call under way.
    private(set) var lost = false

    init(channel: WorkerChannel) {
        self.channel = channel
    }

    func placeOrder(_ request: OrderRequest, for instance: InstanceIdentity, price: Double?, time: Double) -> Result<Order, OrderRejection> {
        guard let slot = slots[instance.id] else { return .failure(OrderRejection("unknown instance")) }
        let answer = ask(.order(HostOrder(slot: slot, request: request, price: price, time: time)), for: instance.id)
        if let order = answer?.order { return .success(order) }
        return .failure(OrderRejection(answer?.rejection ?? "the engine did not answer", rule: answer?.rule))
    }

    func cancelOrder(id: String, for instance: InstanceIdentity) -> Result<Void, OrderRejection> {
        guard let slot = slots[instance.id] else { return .failure(OrderRejection("unknown instance")) }
        let answer = ask(.cancel(slot: slot, id: id), for: instance.id)
        guard let answer else { return .failure(OrderRejection("the engine did not answer")) }
        if let rejection = answer.rejection { return .failure(OrderRejection(rejection)) }
        return .success(())
    }

    func openOrders(for instance: InstanceIdentity) -> [Order] {
        views[instance.id]?.orders ?? []
    }

    func position(for instance: InstanceIdentity) -> Double {
        views[instance.id]?.position ?? 0
    }

    func balance(of asset: String, for instance: InstanceIdentity) -> Double {
        let parts = instance.market.split(separator: "/")
        if parts.count == 2, asset == parts[0] { return position(for: instance) }
        return views[instance.id]?.cash ?? 0
    }

    func pnl(for instance: InstanceIdentity, price: Double?) -> Double {
        views[instance.id]?.pnl(at: price) ?? 0
    }

    func marketMoved(_ tick: Tick) {}

    /// Asks the engine and waits for its answer; keeps the view it brings.
    private func ask(_ question: HostReply, for id: String) -> HostBrokerAnswer? {
        guard !lost else { return nil }
        do {
            try channel.send(coder.frame(question))
            let frame = try channel.receive()
            guard case .brokerAnswer(let answer)? = coder.message(HostRequest.self, from: frame) else {
                lost = true
                return nil
            }
            views[id] = answer.view
            return answer
        } catch {
            lost = true
            return nil
        }
    }
}
