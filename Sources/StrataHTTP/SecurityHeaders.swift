import HTTPTypes

/// The headers that keep a browser safe, on every answer: a Content-Security-Policy that allows
/// only this origin's scripts, styles and connections (no inline script, no framing), no MIME
/// sniffing, no referrer.
enum SecurityHeaders {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    /// Sets the three headers in `fields` (a stricter policy a route set for its answer, like a
    /// backtest report's, is kept).
    static func add(to fields: inout HTTPFields) {
        if fields[.contentSecurityPolicy] == nil { fields[.contentSecurityPolicy] = contentSecurityPolicy }
        fields[.xContentTypeOptions] = "nosniff"
        fields[referrerPolicy] = "no-referrer"
    }
}
