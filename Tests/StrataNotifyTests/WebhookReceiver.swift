import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A real HTTP receiver on loopback (Hummingbird, an ephemeral port) for the notifier's tests:
/// each POST to `/hook` is recorded, and answered as `reply` says for its number (0-based).
final class WebhookReceiver: Sendable {
    /// How to answer one request.
    struct Reply: Sendable {
        var status: Int = 200
        /// Seconds to wait before answering.
        var delay: Double = 0
        var headers: [String: String] = [:]
        /// Bytes of body answered (beside "ok" when 0).
        var bodyBytes = 0
    }

    /// One request as it arrived.
    struct Received: Sendable {
        /// By lowercased name.
        var headers: [String: String]
        var body: String
        var at: Date
    }

    /// The requests so far, shared with the server's handler.
    private final class Log: Sendable {
        let list = Mutex<[Received]>([])
    }

    let port: Int
    private let received = Log()
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var requests: [Received] { received.list.withLock { $0 } }

    /// Starts the server and returns once it listens.
    init(reply: @escaping @Sendable (Int) -> Reply = { _ in Reply() }) async throws {
        let received = self.received
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }  // lowercased
            let number = received.list.withLock { list in
                list.append(Received(headers: headers, body: String(buffer: body), at: Date()))
                return list.count - 1
            }
            let answer = reply(number)
            if answer.delay > 0 { try? await Task.sleep(for: .milliseconds(Int64(answer.delay * 1000))) }
            var fields = HTTPFields()
            for (name, value) in answer.headers { fields[HTTPField.Name(name)!] = value }
            let answerBody = answer.bodyBytes > 0 ? ByteBuffer(repeating: UInt8(ascii: "x"), count: answer.bodyBytes) : ByteBuffer(string: "ok")
            return Response(status: HTTPResponse.Status(code: answer.status), headers: fields, body: ResponseBody(byteBuffer: answerBody))
        }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            })
        task = Task { try await app.run() }
        var bound = 0
        for await value in ports { bound = value }
        port = bound
    }

    /// Waits until at least `count` requests arrived (up to `timeout` seconds).
    func waitFor(_ count: Int, timeout: Double = 10) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if requests.count >= count { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return requests.count >= count
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// A loopback port nothing listens on: bound, then closed.
func closedPort() throws -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
