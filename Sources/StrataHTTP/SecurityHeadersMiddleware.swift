import HTTPTypes
import Hummingbird

/// Adds ``SecurityHeaders`` to every answer of the router, errors included. (Answers written
/// outside the router get them from ``RequestDeadlineHandler``.)
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The error middleware inside answers everything; this is the last line of defence.
            response = try ErrorMiddleware<Context>.apiError(for: error, maxBodyBytes: 0).response(from: request, context: context)
        }
        SecurityHeaders.add(to: &response.headers)
        return response
    }
}
