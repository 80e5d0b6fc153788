import Foundation
import StrataIsolation

/// How the HTTP server listens and what it serves.
public struct APIServerOptions: Sendable {
    /// The address to bind (`127.0.0.1` by default; anything else needs a token, see `strata serve`).
    public var host: String
    /// The TCP port; 0 picks a free one (the bound port is reported when the server runs).
    public var port: Int
    /// When set, every request must carry it (bearer header or the `strata_token` cookie).
    public var token: String?
    /// The dashboard's static files; nil: the `Dashboard` folder bundled with this module.
    public var dashboardDirectory: URL?
    /// Where Chart.js is installed (Debian's `libjs-chart.js`), served under `/vendor/chart.js/`.
    public var chartJSDirectory: URL
    /// The largest request body accepted; larger ones get 413.
    public var maxBodyBytes: Int
    /// The deepest nesting of arrays and objects in a JSON body; deeper ones get 400.
    public var maxJSONDepth: Int
    /// How often an idle event stream gets a comment line, so proxies and browsers keep it open.
    public var keepAliveInterval: Duration
    /// The most event streams open at once; one more gets 429 with `Retry-After`.
    public var maxEventStreams: Int
    /// The most events a stream keeps for a client that reads slowly; past it the oldest go.
    public var eventStreamBuffer: Int
    /// How long a connection may sit with no request in progress before it is closed.
    public var idleTimeout: Duration
    /// How long a client may take to send a request's head once it has sent its first byte (408, closed).
    public var headerTimeout: Duration
    /// How long a client may take to send a request's body once its head is in (408, closed).
    public var bodyTimeout: Duration
    /// The market data backtests run on (`--data-dir`): requests name its files, never a path.
    public var dataDirectory = URL(fileURLWithPath: "data")
    /// The most research runs (backtests, optimizations) running at once; the rest wait queued.
    public var researchJobs = 1
    /// The `strata` program each backtest runs in as a confined worker (this program by default).
    public var researchWorker = WorkerProcess.currentExecutable

    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, dashboardDirectory: URL? = nil,
        chartJSDirectory: URL = URL(fileURLWithPath: "/usr/share/javascript/chart.js"),
        maxBodyBytes: Int = 1 << 20, maxJSONDepth: Int = 32, keepAliveInterval: Duration = .seconds(15),
        maxEventStreams: Int = 256, eventStreamBuffer: Int = 1000,
        idleTimeout: Duration = .seconds(60), headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.dashboardDirectory = dashboardDirectory
        self.chartJSDirectory = chartJSDirectory
        self.maxBodyBytes = maxBodyBytes
        self.maxJSONDepth = maxJSONDepth
        self.keepAliveInterval = keepAliveInterval
        self.maxEventStreams = maxEventStreams
        self.eventStreamBuffer = eventStreamBuffer
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    /// The body limits routes read JSON under.
    var bodyLimits: RequestBodyLimits { RequestBodyLimits(maxBytes: maxBodyBytes, maxDepth: maxJSONDepth) }

    /// Whether `host` is a loopback address (only this machine can connect).
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Whether `token` can travel in a header, a cookie and a query string unescaped:
    /// 1–512 characters from `A–Z a–z 0–9 - . _ ~ + / =`.
    public static func isValidToken(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.count <= 512
            && token.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-._~+/=".unicodeScalars.contains($0)) }
    }

    /// The base URL of the server on `port` (IPv6 hosts in brackets).
    public func url(port: Int) -> String {
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(shown):\(port)/"
    }
}
