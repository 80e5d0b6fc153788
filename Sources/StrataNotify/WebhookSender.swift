import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import StrataEngine

/// POSTs one event to one webhook, once, and says how it went. Redirects are not followed (a
/// signed body must not be handed to a host that was not configured); at most
/// ``maxResponseBytes`` of the answer are read, the rest is discarded with the connection.
struct WebhookSender: Sendable {
    /// The most bytes of a receiver's answer read.
    static let maxResponseBytes = 16_384

    let client: HTTPClient
    let requestTimeout: Double

    /// What one attempt got.
    struct Attempt: Sendable {
        var statusCode: Int?
        var error: String?
        var milliseconds: Double

        var delivered: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
    }

    init(options: NotifierOptions) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(options.connectTimeout * 1000)), read: .milliseconds(Int64(options.requestTimeout * 1000))))
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        requestTimeout = options.requestTimeout
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    func post(_ event: WebhookEvent, to webhook: Webhook, now: Date = Date()) async -> Attempt {
        let body = event.body
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "strata-webhooks/1")
        request.headers.add(name: "Strata-Event", value: event.type.rawValue)
        request.headers.add(name: "Strata-Delivery", value: event.id)
        if let secret = webhook.secret {
            let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
            request.headers.add(name: WebhookSignature.header, value: WebhookSignature.value(body: body, timestamp: timestamp, secret: secret))
        }
        request.body = .bytes(ByteBuffer(string: body))
        let start = ContinuousClock.now
        func elapsed() -> Double {
            let duration = ContinuousClock.now - start
            return Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(requestTimeout * 1000)))
            let status = Int(response.status.code)
            var read = 0
            for try await chunk in response.body {
                read += chunk.readableBytes
                if read >= Self.maxResponseBytes { break }
            }
            let error = (200..<300).contains(status) ? nil : "HTTP \(status) \(response.status.reasonPhrase)"
            return Attempt(statusCode: status, error: error, milliseconds: elapsed())
        } catch {
            return Attempt(statusCode: nil, error: Self.describe(error), milliseconds: elapsed())
        }
    }

    /// A short sentence for the delivery log.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "timed out"
            case .connectTimeout: return "timed out connecting"
            case .remoteConnectionClosed: return "the receiver closed the connection"
            case .invalidURL: return "the URL cannot be posted to"
            default: return String(describing: error)
            }
        }
        let text = String(describing: error)
        if text.contains("connectTimeout") { return "timed out connecting" }
        if text.contains("refused") || text.contains("ECONNREFUSED") || text.contains("errno: 111") { return "connection refused" }
        return text
    }
}
