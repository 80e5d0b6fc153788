import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Clients of the live event stream over loopback, as a dashboard holds them open: each one
/// a socket on its own thread, reading `GET /api/events` as fast as it comes and counting the
/// bytes. They end when the server closes the streams.
final class EventStreamReaders: Sendable {
    /// One reader's byte count.
    private final class Counter: Sendable {
        let value = Atomic(0)
    }

    private let received: [Counter]
    private let finished = Atomic(0)
    let count: Int

    /// Connects `count` readers to `127.0.0.1:port`.
    /// - Throws: when a connection cannot be made.
    init(count: Int, port: Int) throws {
        self.count = count
        received = (0..<count).map { _ in Counter() }
        for index in 0..<count {
            let socket = try Self.connect(port: port)
            let request = "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
            _ = request.withCString { send(socket, $0, strlen($0), 0) }
            let thread = Thread { [self] in
                Thread.current.name = "soak-reader-\(index)"
                var buffer = [UInt8](repeating: 0, count: 64 * 1024)
                while true {
                    let n = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                    guard n > 0 else { break }
                    received[index].value.add(n, ordering: .relaxed)
                }
                close(socket)
                finished.add(1, ordering: .relaxed)
            }
            thread.start()
        }
    }

    /// Bytes each reader has received so far.
    var bytes: [Int] { received.map { $0.value.load(ordering: .relaxed) } }

    /// Readers whose stream has ended.
    var ended: Int { finished.load(ordering: .relaxed) }

    private static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw UsageError("cannot create a socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw UsageError("cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        return socket
    }
}
