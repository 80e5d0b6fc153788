import Foundation

/// One end of the channel between the engine and a worker process: frames of at most
/// ``maxFrameBytes`` bytes, each a little-endian 32-bit length and that many bytes, over a
/// stream socket. The channel owns its descriptor and closes it when it goes away; one thread
/// uses it at a time (it is not `Sendable`).
public final class WorkerChannel {
    /// The descriptor (closed in `deinit`).
    public let descriptor: Int32
    /// The largest frame either side accepts: a worker cannot make the engine allocate more.
    public static let maxFrameBytes = 64 << 20
    /// Received bytes not handed out yet start at `buffered`.
    private var buffer: [UInt8] = []
    private var buffered = 0
    /// Where `recv` writes before the bytes join ``buffer``.
    private var scratch: [UInt8] = []
    /// How much one read asks for at least.
    private static let readChunk = 64 << 10

    /// Takes ownership of `descriptor`.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// A connected pair: one end for the engine, one to hand to a worker.
    public static func pair() throws(WorkerChannelError) -> (WorkerChannel, WorkerChannel) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw .system("socketpair", errno)
        }
        return (WorkerChannel(descriptor: fds[0]), WorkerChannel(descriptor: fds[1]))
    }

    /// Sends one frame (blocking until the peer has room).
    public func send(_ payload: [UInt8]) throws(WorkerChannelError) {
        guard payload.count <= Self.maxFrameBytes else { throw .tooLarge(payload.count) }
        let length = UInt32(payload.count)
        var frame = [UInt8](repeating: 0, count: 4)
        for i in 0..<4 { frame[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
        frame.append(contentsOf: payload)
        try writeAll(frame)
    }

    /// Receives one frame. Bytes that arrived before a deadline passed stay buffered for the
    /// next call, so a timeout never loses part of a frame.
    /// - Parameter deadline: when to give up (nil: wait as long as it takes).
    /// - Throws: ``WorkerChannelError/closed`` when the peer closed its end (a worker that
    ///   died), ``WorkerChannelError/timedOut`` at the deadline.
    public func receive(until deadline: ContinuousClock.Instant? = nil) throws(WorkerChannelError) -> [UInt8] {
        try fill(4, until: deadline)
        var length = 0
        for i in 0..<4 { length |= Int(buffer[buffered + i]) << (8 * i) }
        guard length <= Self.maxFrameBytes else { throw .tooLarge(length) }
        try fill(4 + length, until: deadline)
        let frame = Array(buffer[(buffered + 4)..<(buffered + 4 + length)])
        buffered += 4 + length
        if buffered == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            buffered = 0
        }
        return frame
    }

    private func writeAll(_ bytes: [UInt8]) throws(WorkerChannelError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw errno == EPIPE || errno == ECONNRESET ? .closed : .system("send", errno)
            }
            offset += written
        }
    }

    /// Reads until at least `count` unconsumed bytes are buffered.
    private func fill(_ count: Int, until deadline: ContinuousClock.Instant?) throws(WorkerChannelError) {
        if buffered > 0 && buffer.count - buffered < count {
            buffer.removeFirst(buffered)
            buffered = 0
        }
        while buffer.count - buffered < count {
            try waitReadable(until: deadline)
            let want = max(count - (buffer.count - buffered), Self.readChunk)
            if scratch.count < want { scratch = [UInt8](repeating: 0, count: want) }
            // Into a scratch buffer made once: a small frame costs no zero-filling of a chunk.
            let got = scratch.withUnsafeMutableBytes { bytes in
                recv(descriptor, bytes.baseAddress!, want, Int32(MSG_DONTWAIT))
            }
            if got > 0 { buffer.append(contentsOf: scratch[0..<got]) }
            if got == 0 { throw .closed }
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw errno == ECONNRESET ? .closed : .system("recv", errno)
            }
        }
    }

    private func waitReadable(until deadline: ContinuousClock.Instant?) throws(WorkerChannelError) {
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let left = deadline - .now
                guard left > .zero else { throw .timedOut }
                let ms = Double(left.components.seconds) * 1000 + Double(left.components.attoseconds) / 1e15
                timeout = Int32(min(ms.rounded(.up), Double(Int32.max)))
            }
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, timeout)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .system("poll", errno) }
        }
    }
}

/// Why a frame could not be sent or received.
public enum WorkerChannelError: Error, Equatable, CustomStringConvertible {
    /// The other end is closed (a worker that exited or died).
    case closed
    /// No frame arrived before the deadline.
    case timedOut
    /// A frame above ``WorkerChannel/maxFrameBytes``.
    case tooLarge(Int)
    /// A system call failed with this errno.
    case system(String, Int32)

    public var description: String {
        switch self {
        case .closed: return "the channel is closed"
        case .timedOut: return "no answer before the deadline"
        case .tooLarge(let bytes): return "a frame of \(bytes) bytes is above the limit of \(WorkerChannel.maxFrameBytes)"
        case .system(let call, let code): return "\(call): \(String(cString: strerror(code)))"
        }
    }
}
