import NIOCore

/// When a request's head and body must have arrived: a value-type state machine (no I/O),
/// driven by ``RequestDeadlineHandler``.
///
/// The header clock starts at the first bytes of a request (not when the connection opens:
/// waiting for a first request is the idle timeout's business), the body clock when the head is
/// in. A response being written has no deadline here (event streams last for hours).
struct RequestDeadlines {
    enum Phase: Equatable {
        /// No request in progress.
        case waiting
        /// Bytes of a request have arrived, its head is not complete.
        case readingHead(deadline: NIODeadline)
        /// The head is in; its body is being read.
        case readingBody(deadline: NIODeadline)
        /// The request is read; the response is being written.
        case responding
        /// A deadline passed; the connection is being closed.
        case expired
    }

    /// What the handler must do.
    enum Action: Equatable {
        case none
        /// Arm the timer for this deadline (replacing any armed one).
        case arm(NIODeadline)
        /// Disarm the timer.
        case disarm
        /// The head did not arrive in time: answer 408 and close.
        case refuseSlowHead
        /// The body did not arrive in time: fail the request's body (the route answers 408) and close.
        case failSlowBody
    }

    let headerTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    private(set) var phase = Phase.waiting
    /// Bytes arrived while a response was being written (a pipelined request).
    private var bytesWhileResponding = false

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    /// Bytes were read from the socket (whatever the decoder made of them).
    mutating func bytesArrived(now: NIODeadline) -> Action {
        switch phase {
        case .waiting:
            phase = .readingHead(deadline: now + headerTimeout)
            return .arm(now + headerTimeout)
        case .responding:
            bytesWhileResponding = true
            return .none
        case .readingHead, .readingBody, .expired:
            return .none
        }
    }

    /// A request's head was decoded.
    mutating func headReceived(now: NIODeadline) -> Action {
        guard phase != .expired else { return .none }
        bytesWhileResponding = false
        phase = .readingBody(deadline: now + bodyTimeout)
        return .arm(now + bodyTimeout)
    }

    /// A request's end was decoded.
    mutating func endReceived() -> Action {
        guard case .readingBody = phase else { return .none }
        phase = .responding
        return .disarm
    }

    /// A response's end was written.
    mutating func responseEnded(now: NIODeadline) -> Action {
        guard phase == .responding else { return .none }
        if bytesWhileResponding {
            bytesWhileResponding = false
            phase = .readingHead(deadline: now + headerTimeout)
            return .arm(now + headerTimeout)
        }
        phase = .waiting
        return .none
    }

    /// The armed timer fired.
    mutating func timerFired(now: NIODeadline) -> Action {
        switch phase {
        case .readingHead(let deadline) where now >= deadline:
            phase = .expired
            return .refuseSlowHead
        case .readingBody(let deadline) where now >= deadline:
            phase = .expired
            return .failSlowBody
        case .readingHead(let deadline), .readingBody(let deadline):
            return .arm(deadline)
        case .waiting, .responding, .expired:
            return .none
        }
    }
}
