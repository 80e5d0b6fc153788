import Foundation
import Hummingbird
import StrataEngine

/// `GET /metrics`: Prometheus text exposition of ``InstanceMetrics``.
struct MetricsController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let records: InstanceRecordCache
    let metrics: InstanceMetrics
    let feed: any FeedStatusSource

    func addRoutes(to router: Router<Context>) {
        router.get("/metrics") { _, _ in try await BlockingWork.run { try self.scrape() } }
    }

    func scrape() throws -> Response {
        var text = try metrics.scrape(
            records: records.records(in: engine.store), statuses: engine.store.statuses(),
            eventSubscribers: engine.events.subscriberCount)
        // The engine's own failures (status and activity writes, folder, watchdog).
        text += engine.health.prometheusText
        // A cluster node's identity, leases and fenced writes.
        if let cluster = engine.cluster { text += ClusterMetrics.text(cluster) }
        // A live feed's connection, and per market its gaps, drops and staleness.
        let now = Date().timeIntervalSince1970
        text += feed.feedHealth(now: now).prometheusText(now: now)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
