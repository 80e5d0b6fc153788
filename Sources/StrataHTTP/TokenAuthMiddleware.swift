import Hummingbird

/// Who may talk to the server.
///
/// With a token, every request needs `Authorization: Bearer TOKEN` or the `strata_token` cookie;
/// `GET /?token=TOKEN` sets that cookie (HttpOnly, SameSite=Strict) and redirects to `/`, which
/// is how a browser gets in. Without a token (loopback only), requests naming a host other than
/// a loopback name are refused, so a web page cannot reach the API by DNS rebinding.
struct TokenAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    static var cookieName: String { "strata_token" }

    /// nil: no token is required.
    let token: String?
    /// Refuse `Host` headers that are not loopback names.
    let loopbackHostsOnly: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else {
            if loopbackHostsOnly, let authority = request.head.authority, !APIServerOptions.isLoopback(Self.hostName(of: authority)) {
                throw APIError(.forbidden, field: "host", "this server answers only to loopback names (localhost, 127.0.0.1, [::1])")
            }
            return try await next(request, context)
        }
        if request.method == .get, request.uri.path == "/", let given = request.uri.queryParameters["token"] {
            guard Self.constantTimeEqual(String(given), token) else { throw Self.unauthorized("the token in the link is wrong") }
            return Response(
                status: .seeOther,
                headers: [
                    .location: "/",
                    .setCookie: "\(Self.cookieName)=\(token); HttpOnly; SameSite=Strict; Path=/",
                    .cacheControl: "no-store",
                ])
        }
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer", Self.constantTimeEqual(String(parts[1]), token) {
                return try await next(request, context)
            }
        }
        if let cookie = request.cookies[Self.cookieName], Self.constantTimeEqual(cookie.value, token) {
            return try await next(request, context)
        }
        throw Self.unauthorized("a token is required: send Authorization: Bearer TOKEN, or open /?token=TOKEN in a browser")
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, [.init("token", message)], headers: [.wwwAuthenticate: "Bearer"])
    }

    /// Compares in time that depends only on the secret's length, not on where they differ.
    static func constantTimeEqual(_ given: String, _ secret: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(secret.utf8)
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in b.indices {
            difference |= (index < a.count ? a[index] : 0) ^ b[index]
        }
        return difference == 0
    }

    /// `localhost` of `localhost:8080`, `::1` of `[::1]:8080`.
    static func hostName(of authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<end])
        }
        let name = authority.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init) ?? authority
        return name.lowercased()
    }
}
