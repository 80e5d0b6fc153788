import Foundation
import HTTPTypes
import StrataEngine
import StrataPersistence
import StrataPostgres
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// The API in a cluster: `/api/nodes`, the `node` of each instance, the 307 to the node that
    /// runs an instance, and the cluster's metrics; and what a single machine answers instead.
    @Suite struct ClusterAPITests {
        @Test func aSingleMachineIsNotClustered() async throws {
            try await withAPI { api, fixture in
                try fixture.seed("solo")
                let nodes = try await api.get("/api/nodes")
                #expect(nodes.status == 200)
                #expect(nodes.json == ["node": nil, "clustered": false, "nodes": []])
                let trace = try await api.send(.trace, "/api/nodes")
                #expect(trace.status == 405)
                #expect(trace.headers[.allow] == "GET, HEAD")
                let list = try await api.get("/api/instances").json?["instances"]?.arrayValue ?? []
                #expect(list.count == 1)
                #expect(list.first?["node"] == .null)
                #expect(try await api.get("/api/instances/solo").json?["node"] == .null)
                let metrics = try await api.get("/metrics").text
                #expect(!metrics.contains("strata_node_info"))
                #expect(!metrics.contains("strata_cluster_nodes"))
            }
        }

        @Test
        func theSameOverPostgreSQL() async throws {
            let database = try TestPostgres.Database()
            let store = try database.open()
            defer { try? store.close() }
            let ttl = 1.0
            // Shadows come with the replay part of the store (pg-replay): until then, the scenario
            // leaves out the one check that reads a shadow here.
            let shadows = (try? store.shadows()) != nil
            try await withCluster(store: store, clusterStore: store, leaseTTL: ttl) { api, fixture in
                try await Self.scenario(api, fixture, store, readsShadows: shadows) { _, beatOthers in
                    // The database's clock judges: wait until the node's heartbeat is older than the
                    // TTL, then refresh the others'.
                    try await Task.sleep(for: .seconds(ttl + 0.5))
                    try beatOthers()
                }
            }
        }

        /// Node "a" answers; "b" runs `on-b`; "c" held `on-c` and stopped; "d" runs `on-d` but has
        /// no address yet; `free` has no lease, `mine` is a's own.
        static func scenario(
            _ api: APIClient, _ fixture: ClusterFixture, _ cluster: any ClusterStore, readsShadows: Bool = true,
            letDie: (_ node: String, _ beatOthers: () throws -> Void) async throws -> Void
        ) async throws {
            let ttl = fixture.cluster.leaseTTL
            for id in ["on-b", "on-c", "on-d", "free", "mine"] { try fixture.seed(id) }
            let addresses: [(String, String?)] = [
                ("a", "http://127.0.0.1:9001"), ("b", "http://127.0.0.1:9002/"), ("c", "http://127.0.0.1:9003"), ("d", nil),
            ]
            func beat(except dead: String?) throws {
                for (node, address) in addresses where node != dead { _ = try cluster.heartbeat(node: node, address: address, timeout: ttl) }
            }
            try beat(except: nil)
            for (node, id) in [("b", "on-b"), ("c", "on-c"), ("d", "on-d"), ("a", "mine")] {
                let held = try cluster.claimLeases(node: node, renew: [:], take: [id], release: [:], ttl: 120)
                #expect(held[id]?.node == node)
            }
            try await letDie("c") { try beat(except: "c") }

            // GET /api/nodes: every node, from a's point of view.
            let nodes = try await api.get("/api/nodes")
            #expect(nodes.status == 200)
            #expect(nodes.json?["node"] == "a")
            #expect(nodes.json?["clustered"] == true)
            let records = nodes.json?["nodes"]?.arrayValue ?? []
            #expect(records.compactMap { $0["name"]?.stringValue } == ["a", "b", "c", "d"])
            let byName = Dictionary(uniqueKeysWithValues: records.compactMap { record in record["name"]?.stringValue.map { ($0, record) } })
            #expect(byName["b"]?["alive"] == true)
            #expect(byName["b"]?["leases"] == 1)
            #expect(byName["b"]?["address"] == "http://127.0.0.1:9002/")
            #expect(byName["c"]?["alive"] == false)
            #expect(byName["d"]?["address"] == .null)
            // a's own lease keeper may have taken `free` too (it is assigned to a live node).
            let aLeases = byName["a"]?["leases"]?.doubleValue ?? 0
            #expect(aLeases == 1 || aLeases == 2)
            for record in records {
                #expect(record["heartbeat_at"]?.stringValue.flatMap { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0) } != nil)
                #expect(record["started_at"]?.stringValue != nil)
            }

            // The instances name the node holding a live lease (the stopped node's lease is still live).
            let list = try await api.get("/api/instances?limit=10").json?["instances"]?.arrayValue ?? []
            let owners = Dictionary(uniqueKeysWithValues: list.compactMap { row in row["id"]?.stringValue.map { ($0, row["node"] ?? nil) } })
            #expect(owners.filter { $0.key != "free" } == ["on-b": "b", "on-c": "c", "on-d": "d", "mine": "a"])
            #expect(owners["free"] == .null || owners["free"] == "a")
            #expect(try await api.get("/api/instances/on-b").json?["node"] == "b")
            let freeNode = try await api.get("/api/instances/free").json?["node"]
            #expect(freeNode == .null || freeNode == "a")

            // What needs the running instance is sent to its node, path and query kept.
            let render = try await api.get("/api/instances/on-b/ui?x=1&y=%20")
            #expect(render.status == 307)
            #expect(render.headers[.location] == "http://127.0.0.1:9002/api/instances/on-b/ui?x=1&y=%20")
            #expect(render.json?["node"] == "b")
            #expect(render.json?["address"] == "http://127.0.0.1:9002")
            #expect(render.errorFields == ["id"])
            #expect(render.message(for: "id")?.contains("node 'b'") == true)
            for (method, path, body) in [
                (HTTPRequest.Method.get, "/api/instances/on-b/shadow", JSONValue?.none), (.put, "/api/instances/on-b/shadow", ["config": [:]]),
                (.delete, "/api/instances/on-b/shadow", nil), (.post, "/api/instances/on-b/shadow/promote", nil),
            ] {
                let answer = try await api.send(method, path, json: body)
                #expect(answer.status == 307, "\(method) \(path)")
                #expect(answer.headers[.location] == "http://127.0.0.1:9002" + path)
            }

            // A dead owner, no lease, or this node's own lease: answered here, as on one machine.
            for id in ["on-c", "free", "mine"] {
                let answer = try await api.get("/api/instances/\(id)/ui")
                #expect(answer.status == 409, "\(id): \(answer.text)")
                #expect(answer.message(for: "id")?.contains("is not running") == true, "\(id)")
            }
            if readsShadows { #expect(try await api.get("/api/instances/free/shadow").json?["status"] == "none") }
            // An owner without an address yet cannot be named as a place to go.
            let noAddress = try await api.get("/api/instances/on-d/ui")
            #expect(noAddress.status == 409)
            #expect(noAddress.message(for: "id")?.contains("no HTTP address") == true)
            // An unknown instance is still a 404.
            #expect(try await api.get("/api/instances/nope/ui").status == 404)

            // /metrics: who this node is, its leases, the nodes alive and dead, fenced writes.
            let metrics = try await api.get("/metrics").text
            #expect(MetricsTests.sample(metrics, #"strata_node_info{node="a"}"#) == 1)
            let ownLeases = MetricsTests.sample(metrics, #"strata_node_leases{node="a"}"#)
            #expect(ownLeases == 1 || ownLeases == 2)
            #expect(MetricsTests.sample(metrics, #"strata_cluster_nodes{state="alive"}"#) == 3)
            #expect(MetricsTests.sample(metrics, #"strata_cluster_nodes{state="dead"}"#) == 1)
            #expect(MetricsTests.sample(metrics, "strata_fenced_writes_total") == Double(fixture.cluster.leases.refusedWrites))
            #expect(MetricsTests.sample(metrics, "strata_cluster_store_up") == 1)
            #expect(metrics.contains("# TYPE strata_fenced_writes_total counter"))
        }
    }
}
