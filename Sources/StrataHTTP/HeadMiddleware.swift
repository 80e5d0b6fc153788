import Hummingbird

/// `HEAD`: whatever the router answers to the `GET` (errors included), without its body. The
/// `Content-Length` stays the one the `GET` would have.
struct HeadMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        return request.method == .head ? response.createHeadResponse() : response
    }
}
