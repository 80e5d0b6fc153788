import Foundation

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
    /// How often an idle event stream gets a comment line, so proxies and browsers keep it open.
    public var keepAliveInterval: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, dashboardDirectory: URL? = nil,
        chartJSDirectory: URL = URL(fileURLWithPath: "/usr/share/javascript/chart.js"),
        maxBodyBytes: Int = 1 << 20, keepAliveInterval: Duration = .seconds(15)
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.dashboardDirectory = dashboardDirectory
        self.chartJSDirectory = chartJSDirectory
        self.maxBodyBytes = maxBodyBytes
        self.keepAliveInterval = keepAliveInterval
    }

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
