import Foundation
import Hummingbird
import StrataRuntime

/// How large and how deep a request body may be.
struct RequestBodyLimits: Sendable {
    /// The largest body, in bytes (413 past it).
    var maxBytes: Int
    /// The deepest nesting of arrays and objects (400 past it).
    var maxDepth: Int
}

extension Request {
    /// The body as one JSON object.
    ///
    /// The body must say `Content-Type: application/json`: besides being the contract, that
    /// makes a cross-site form or `fetch` without CORS unable to send it (a browser would first
    /// ask with a preflight, which this server never approves). It is read as strictly as the
    /// API documents: UTF-8, no duplicate keys, no trailing commas, no integer beyond ±2^53,
    /// nesting at most `limits.maxDepth` deep (checked while reading, so a deep body costs no
    /// more than its length).
    /// - Throws: ``APIError``: 415 without a JSON content type, 413 past `limits.maxBytes`, 400
    ///   when the body is not such JSON or not an object (field `body`, or the path of the bad
    ///   value: `config.qty`).
    func jsonObject(limits: RequestBodyLimits) async throws -> [String: JSONValue] {
        let mediaType = headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else {
            throw APIError(.unsupportedMediaType, field: "content-type", "must be application/json")
        }
        if let charset = Self.charset(of: headers[.contentType]), !["utf-8", "utf8"].contains(charset) {
            throw APIError(.unsupportedMediaType, field: "content-type", "JSON bodies must be UTF-8 (charset=utf-8), got charset=\(QueryReader.shown(charset))")
        }
        let buffer = try await body.collect(upTo: limits.maxBytes)
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { throw APIError.badRequest([.init("body", "must be a JSON object, got an empty body")]) }
        let value: JSONValue
        switch JSONValue.parseRequest(bytes, maxDepth: limits.maxDepth) {
        case .success(let parsed): value = parsed
        case .failure(let error): throw APIError.badRequest([.init(error.path.isEmpty ? "body" : error.path, error.message)])
        }
        guard case .object(let object) = value else {
            throw APIError.badRequest([.init("body", "must be a JSON object, got \(value.typeName)")])
        }
        return object
    }

    /// The lowercased `charset` parameter of a content type, if any.
    static func charset(of contentType: String?) -> String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            return parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
        }
        return nil
    }
}
