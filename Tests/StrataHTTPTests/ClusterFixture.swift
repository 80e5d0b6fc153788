import Foundation
import Hummingbird
import HummingbirdTesting
import StrataEngine
import StrataHTTP
import StrataRuntime
import Testing

/// Node "a" of a cluster: a real engine and server over a given store, with a
/// ``ClusterMembership`` over a given cluster store (in memory, or the same PostgreSQL store).
/// The test plays the other nodes by writing heartbeats and leases into the cluster store.
final class ClusterFixture: @unchecked Sendable {
    let folder: URL
    let store: any InstanceStore
    let cluster: ClusterMembership
    let loop: EngineLoop
    let server: APIServer

    init(store: any InstanceStore, clusterStore: any ClusterStore, node: String = "a", leaseTTL: Double) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-http-cluster-\(UUID().uuidString)")
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        try TestStrategies.widgets.write(to: strategies.appendingPathComponent("widgets.lua"), atomically: true, encoding: .utf8)
        let dashboard = try APIFixture.makeDashboard(in: folder)
        self.store = store
        cluster = ClusterMembership(node: node, store: clusterStore, leases: LeaseBook(), leaseTTL: leaseTTL, renewInterval: leaseTTL / 3)
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        let engine = Engine(store: store, library: StrategyLibrary(directory: strategies, limits: limits), limits: limits, cluster: cluster)
        loop = EngineLoop(engine: engine, feed: SyntheticFeed(markets: [], rate: 20, start: Date().timeIntervalSince1970))
        server = APIServer(engine: loop, options: APIServerOptions(host: "127.0.0.1", port: 0, dashboardDirectory: dashboard))
        loop.start()
    }

    /// Creates an instance through the store (as the CLI would).
    func seed(_ id: String) throws {
        _ = try store.createInstance(
            InstanceIdentity(id: id, strategyType: "widgets", account: "paper", market: "X/USD"), mode: .off, config: [:], actor: .cli)
    }

    func stop() async {
        server.closeEventStreams()
        await loop.stop()
        await APIFixture.offPool { try? FileManager.default.removeItem(at: self.folder) }
    }
}

/// Runs `body` against a live server of node "a" over `store` and `clusterStore`.
func withCluster(
    store: any InstanceStore, clusterStore: any ClusterStore, leaseTTL: Double,
    _ body: @Sendable (APIClient, ClusterFixture) async throws -> Void
) async throws {
    let fixture = try ClusterFixture(store: store, clusterStore: clusterStore, leaseTTL: leaseTTL)
    do {
        let app = fixture.server.makeApplication(logger: APIFixture.logger)
        try await app.test(.live) { client in
            defer { fixture.server.closeEventStreams() }
            try await body(APIClient(client: client, token: nil), fixture)
        }
    } catch {
        await fixture.stop()
        throw error
    }
    await fixture.stop()
}
