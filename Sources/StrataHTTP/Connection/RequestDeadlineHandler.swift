import HTTPTypes
import NIOCore
import NIOHTTPTypes
import StrataRuntime

/// Enforces ``RequestDeadlines`` on one HTTP/1 connection (it sits right after the HTTP codec):
/// a head that is not complete within the header timeout gets a 408 and the connection is
/// closed; a body not complete within the body timeout fails the route's read of it (which the
/// error middleware answers with 408) and the connection is closed.
///
/// It also completes the answers the framework writes by itself, outside the router (the 400
/// for bytes that are not HTTP/1.1): the security headers, and a JSON `Errors` body.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadlines: RequestDeadlines
    private var timer: Scheduled<Void>?
    /// Whether the current socket read gave the decoder enough for a request part.
    private var decodedInThisRead = false
    /// The JSON body owed to an empty error answer of the framework.
    private var owedBody: ByteBuffer?

    init(headerTimeout: Duration, bodyTimeout: Duration) {
        deadlines = RequestDeadlines(headerTimeout: TimeAmount(headerTimeout), bodyTimeout: TimeAmount(bodyTimeout))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        decodedInThisRead = true
        switch unwrapInboundIn(data) {
        case .head: perform(deadlines.headReceived(now: .now()), context)
        case .body: break
        case .end: perform(deadlines.endReceived(), context)
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes that made no request part yet: the start of a head.
        if !decodedInThisRead { perform(deadlines.bytesArrived(now: .now()), context) }
        decodedInThisRead = false
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response):
            SecurityHeaders.add(to: &response.headerFields)
            if response.status == .badRequest, response.headerFields[.contentLength] == "0", response.headerFields[.contentType] == nil {
                let body = Self.errorBody(field: "", "the request is not valid HTTP/1.1")
                response.headerFields[.contentType] = "application/json; charset=utf-8"
                response.headerFields[.contentLength] = "\(body.readableBytes)"
                owedBody = body
            }
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            if let owed = owedBody {
                owedBody = nil
                context.write(wrapOutboundOut(.body(owed)), promise: nil)
            }
            context.write(data, promise: promise)
            perform(deadlines.responseEnded(now: .now()), context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    private func perform(_ action: RequestDeadlines.Action, _ context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .arm(let deadline):
            timer?.cancel()
            timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                self.timer = nil
                self.perform(self.deadlines.timerFired(now: .now()), context)
            }
        case .disarm:
            timer?.cancel()
            timer = nil
        case .refuseSlowHead:
            let seconds = Self.seconds(deadlines.headerTimeout)
            let body = Self.errorBody(field: "", "the request's head did not arrive within \(seconds) s")
            var fields: HTTPFields = [
                .contentType: "application/json; charset=utf-8", .contentLength: "\(body.readableBytes)", .connection: "close",
                .cacheControl: "no-store",
            ]
            SecurityHeaders.add(to: &fields)
            context.write(wrapOutboundOut(.head(HTTPResponse(status: .requestTimeout, headerFields: fields))), promise: nil)
            context.write(wrapOutboundOut(.body(body)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .failSlowBody:
            context.fireErrorCaught(RequestTimeoutError(seconds: Self.seconds(deadlines.bodyTimeout)))
            // The route answers 408 at once; close even if nothing reads the body.
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) { context.close(promise: nil) }
        }
    }

    static func errorBody(field: String, _ message: String) -> ByteBuffer {
        ByteBuffer(string: APIError(.requestTimeout, field: field, message).json.encoded())
    }

    static func seconds(_ amount: TimeAmount) -> String {
        let seconds = Double(amount.nanoseconds) / 1e9
        return seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)
    }
}

/// A request's body did not arrive within the body timeout (answered 408).
struct RequestTimeoutError: Error {
    /// The timeout, as shown in the answer.
    let seconds: String
}
