import Hummingbird
import NIOCore
import NIOHTTP1
import StrataEngine

/// Turns every error a route throws into a JSON `Errors` answer: ``APIError`` as it is, the
/// framework's own (`HTTPError`: no route, body too large) with a field named, a store error by
/// its code, a body that ended early or broke HTTP/1.1 as 400, one too slow as 408, and anything
/// else as 500 without details (they go to the log instead).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, maxBodyBytes: maxBodyBytes)
            if apiError.status.code >= 500 {
                context.logger.error("internal error", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            }
            return try apiError.response(from: request, context: context)
        }
    }

    /// The client-facing form of `error`.
    static func apiError(for error: any Error, maxBodyBytes: Int) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as any HTTPResponseError:
            // The framework's own: HTTPError, and NIO's "too many bytes" from collecting a body.
            switch error.status {
            case .notFound: return .notFound("path", "no such route")
            case .contentTooLarge: return APIError(.contentTooLarge, field: "body", "must be at most \(maxBodyBytes) bytes")
            case .methodNotAllowed: return APIError(.methodNotAllowed, field: "method", "not allowed here")
            default:
                if error.status.kind == .clientError {
                    return APIError(error.status, field: "", (error as? HTTPError)?.body ?? error.status.reasonPhrase)
                }
                return APIError(.internalServerError, field: "", "internal error")
            }
        case let error as RequestTimeoutError:
            return APIError(.requestTimeout, field: "body", "did not arrive within \(error.seconds) s")
        case let error as HTTPParserError:
            // Raised while reading the body: the client closed its side before the body was
            // complete (`invalidEOFState`), or sent bytes that are not HTTP/1.1.
            if case .invalidEOFState = error { return .badRequest([.init("body", "ended before its declared length")]) }
            return .badRequest([.init("body", "is not valid HTTP/1.1 (\(error))")])
        case let error as ChannelError where error == .eof || error == .inputClosed || error == .ioOnClosedChannel:
            return .badRequest([.init("body", "ended before its declared length")])
        case let error as StoreError where error.code == .notFound:
            return .notFound("id", error.message)
        case let error as StoreError where error.code == .alreadyExists:
            return .conflict("id", error.message)
        default:
            return APIError(.internalServerError, field: "", "internal error")
        }
    }
}
