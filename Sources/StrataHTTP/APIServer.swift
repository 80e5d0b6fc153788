import Foundation
import Hummingbird
import Logging
import NIOCore
import StrataEngine

/// The HTTP side of `strata serve`: the JSON API under `/api/` (schemas/openapi.yaml), the live
/// event stream, `/metrics` and the dashboard's files, over an engine.
///
/// ```swift
/// let server = APIServer(engine: loop, options: APIServerOptions(port: 0))
/// let app = server.makeApplication(logger: logger) { port in print("dashboard: \(server.options.url(port: port))") }
/// try await app.runService()
/// ```
public final class APIServer: Sendable {
    public let options: APIServerOptions
    let engine: any EngineGateway
    let streams: EventStreamRegistry
    let metrics = InstanceMetrics()
    let records = InstanceRecordCache()
    /// Backtests (and optimizations) the server runs, the data they run on.
    public let research: ResearchService
    /// The market feed's status (`GET /api/feed`, `/metrics`, instances' `feed`).
    let feed: any FeedStatusSource

    /// - Parameter feed: says how the engine's market feed is doing; the default stands for
    ///   an engine whose feed the server cannot see.
    public init(
        engine: any EngineGateway, options: APIServerOptions = APIServerOptions(), feed: any FeedStatusSource = LocalFeedStatus(source: "none")
    ) {
        self.engine = engine
        self.options = options
        self.feed = feed
        research = ResearchService(
            runs: (engine.store as? any ResearchStore).map { ResearchRuns(store: $0, events: engine.events, maxRunning: options.researchJobs) },
            dataFolder: DataFolder(root: options.dataDirectory), workerExecutable: options.researchWorker)
        streams = EventStreamRegistry(hub: engine.events, maxStreams: options.maxEventStreams, buffer: options.eventStreamBuffer)
    }

    /// The folder the dashboard is served from: the option, else the module's bundled copy.
    public var dashboardDirectory: URL {
        options.dashboardDirectory ?? Self.bundledDashboard
    }

    /// The `Dashboard` folder of this module's resources. The bundle is looked for beside the
    /// executable first, so that a copied binary with its bundle works without SwiftPM's build paths.
    public static var bundledDashboard: URL {
        let bundleName = "Strata_StrataHTTP.resources"
        var folders = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        for folder in folders {
            let candidate = folder.appendingPathComponent(bundleName).appendingPathComponent("Dashboard")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("index.html").path) { return candidate }
        }
        return Bundle.module.bundleURL.appendingPathComponent("Dashboard")
    }

    /// The router with every route and the middlewares (security headers, JSON errors, token).
    public func makeRouter() -> Router<BasicRequestContext> {
        // HEAD is answered for every GET route: the GET's status and headers, no body.
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: HeadMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(maxBodyBytes: options.maxBodyBytes))
        router.add(
            middleware: TokenAuthMiddleware(
                token: options.token,
                loopbackHostsOnly: options.token == nil && APIServerOptions.isLoopback(options.host)))
        router.add(middleware: MethodNotAllowedMiddleware())
        InstancesController(engine: engine, records: records, bodyLimits: options.bodyLimits, feed: feed).addRoutes(to: router)
        InstanceActivityController(engine: engine).addRoutes(to: router)
        ShadowController(engine: engine, bodyLimits: options.bodyLimits).addRoutes(to: router)
        RiskController(engine: engine, bodyLimits: options.bodyLimits).addRoutes(to: router)
        AccountsController(engine: engine, bodyLimits: options.bodyLimits).addRoutes(to: router)
        EquityController(engine: engine).addRoutes(to: router)
        PerformanceController(engine: engine).addRoutes(to: router)
        InstanceWhyController(engine: engine).addRoutes(to: router)
        WebhooksController(engine: engine, bodyLimits: options.bodyLimits).addRoutes(to: router)
        StrategiesController(engine: engine).addRoutes(to: router)
        NodesController(engine: engine).addRoutes(to: router)
        BacktestsController(engine: engine, research: research, bodyLimits: options.bodyLimits).addRoutes(to: router)
        OptimizationsController(engine: engine, research: research, bodyLimits: options.bodyLimits).addRoutes(to: router)
        EventStreamController(registry: streams, keepAliveInterval: options.keepAliveInterval).addRoutes(to: router)
        MetricsController(engine: engine, records: records, metrics: metrics, feed: feed).addRoutes(to: router)
        FeedController(feed: feed).addRoutes(to: router)
        StaticFilesController(dashboard: StaticFiles(root: dashboardDirectory), chartJS: StaticFiles(root: options.chartJSDirectory))
            .addRoutes(to: router)
        return router
    }

    /// The server as a service (run it in a `ServiceGroup`, or with `runService()`).
    /// - Parameter onListening: called with the bound port once the server listens (the real
    ///   port when `options.port` is 0).
    public func makeApplication(
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let port = options.port
        let (idle, header, body) = (options.idleTimeout, options.headerTimeout, options.bodyTimeout)
        return Application(
            router: makeRouter(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [RequestDeadlineHandler(headerTimeout: header, bodyTimeout: body)],
                    idleTimeout: TimeAmount(idle))),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: port)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// Ends every open event stream and refuses new ones, and cancels the research runs (their
    /// workers are killed): call it when shutting down, since the server waits for open requests
    /// (and a stream never ends by itself).
    public func closeEventStreams() {
        streams.closeAll()
        research.runs?.cancelAll()
    }

    /// The number of open event streams.
    public var openEventStreams: Int { streams.count }
}
