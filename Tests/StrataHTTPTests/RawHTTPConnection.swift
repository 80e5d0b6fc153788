import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain TCP connection to 127.0.0.1, for what the test client cannot do: read a response
/// that never ends (an event stream) piece by piece, send any Host header, hang up mid-stream.
final class RawHTTPConnection {
    private let socket: Int32
    private(set) var received = ""

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawHTTPError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            _ = Glibc.close(socket)
            throw RawHTTPError("connect to port \(port): errno \(errno)")
        }
    }

    deinit { close() }

    private var closed = false

    /// Hangs up.
    func close() {
        guard !closed else { return }
        closed = true
        _ = Glibc.close(socket)
    }

    /// Closes the sending side only (the server sees the end of the request's bytes).
    func shutdownWrite() {
        _ = shutdown(socket, Int32(SHUT_WR))
    }

    /// Whether the server has closed the connection (reads the rest of what it sent first).
    func isClosedByServer(within timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while ContinuousClock.now < deadline {
            let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                bytes += buffer[0..<count]
                received = String(decoding: bytes, as: UTF8.self)
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return true
            } else {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        return false
    }

    func send(_ text: String) throws {
        try send(bytes: Array(text.utf8))
    }

    func send(bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw RawHTTPError("send: errno \(errno)") }
    }

    /// Sends a GET with the given Host.
    func get(_ path: String, host: String = "localhost", headers: [String] = []) throws {
        try send((["GET \(path) HTTP/1.1", "Host: \(host)"] + headers + ["", ""]).joined(separator: "\r\n"))
    }

    /// Reads until `condition` holds on everything received so far, or the timeout passes.
    /// Never blocks a thread: the socket is polled, sleeping between polls (the server under
    /// test shares the cooperative thread pool).
    /// - Returns: whether the condition held.
    @discardableResult
    func read(until condition: (String) -> Bool, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !condition(received), ContinuousClock.now < deadline {
            let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                bytes += buffer[0..<count]
                received = String(decoding: bytes, as: UTF8.self)
            } else if count == 0 {
                break  // the server closed the connection
            } else {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        return condition(received)
    }

    private var bytes: [UInt8] = []
}

struct RawHTTPError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
