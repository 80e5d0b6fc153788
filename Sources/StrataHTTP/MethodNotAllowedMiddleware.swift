import HTTPTypes
import Hummingbird

/// A method a route does not have is 405 with `Allow` (the methods it has), not 404: the
/// client learns the path exists. Paths that are no route pass on (the router's 404).
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The API's routes as path segments (`*` is any one segment) and their methods, as in
    /// schemas/openapi.yaml (a test holds the two equal). HEAD goes with GET.
    static var routes: [(segments: [Substring], methods: [HTTPRequest.Method])] {
        let activity: [(segments: [Substring], methods: [HTTPRequest.Method])] = ["ui", "orders", "signals", "logs", "audit", "why"].map {
            (["api", "instances", "*", $0], [.get])
        }
        return [
            (["api", "instances"], [.get, .post]), (["api", "instances", "*"], [.get]), (["api", "instances", "*", "config"], [.patch]),
            (["api", "instances", "*", "mode"], [.put]), (["api", "strategies"], [.get]), (["api", "nodes"], [.get]), (["api", "events"], [.get]),
            (["metrics"], [.get]), (["api", "data-files"], [.get]),
            (["api", "instances", "*", "shadow"], [.get, .put, .delete]), (["api", "instances", "*", "shadow", "promote"], [.post]),
            (["api", "strategies", "*", "parameters"], [.get]), (["api", "feed"], [.get]),
            (["api", "instances", "*", "risk"], [.get, .put]), (["api", "accounts", "*", "risk"], [.get, .put]), (["api", "halts"], [.get]),
            (["api", "halt"], [.post]), (["api", "resume"], [.post]),
            (["api", "webhooks"], [.get, .post]), (["api", "webhooks", "*"], [.delete]), (["api", "webhooks", "*", "deliveries"], [.get]),
            (["api", "accounts"], [.get, .post]), (["api", "accounts", "*"], [.get]), (["api", "accounts", "*", "fund"], [.post]),
            (["api", "accounts", "*", "reset"], [.post]), (["api", "accounts", "*", "audit"], [.get]),
            (["api", "instances", "*", "equity"], [.get]), (["api", "accounts", "*", "equity"], [.get]),
            (["api", "instances", "*", "performance"], [.get]), (["api", "accounts", "*", "performance"], [.get]),
        ] + activity + ["backtests", "optimizations"].flatMap(Self.researchRoutes)
    }

    /// A kind of research run's routes: `/api/{kind}` and each run's.
    static func researchRoutes(_ kind: Substring) -> [(segments: [Substring], methods: [HTTPRequest.Method])] {
        [
            (["api", kind], [.get, .post]), (["api", kind, "*"], [.get, .delete]), (["api", kind, "*", "report"], [.get]),
            (["api", kind, "*", "cancel"], [.post]),
        ]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        guard let route = Self.routes.first(where: { Self.matches($0.segments, segments) }) else { return try await next(request, context) }
        let allowed = route.methods.contains(.get) ? route.methods + [.head] : route.methods
        guard allowed.contains(request.method) else {
            throw APIError(
                .methodNotAllowed, [.init("method", "\(request.method.rawValue) is not allowed here (allowed: \(Self.list(allowed)))")],
                headers: [.allow: Self.list(allowed)])
        }
        return try await next(request, context)
    }

    static func matches(_ pattern: [Substring], _ segments: [Substring]) -> Bool {
        pattern.count == segments.count && zip(pattern, segments).allSatisfy { $0 == "*" || $0 == $1 }
    }

    static func list(_ methods: [HTTPRequest.Method]) -> String {
        methods.map(\.rawValue).joined(separator: ", ")
    }
}
