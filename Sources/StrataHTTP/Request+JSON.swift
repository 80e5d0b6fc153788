import Foundation
import Hummingbird
import StrataRuntime

extension Request {
    /// The body as one JSON object.
    ///
    /// The body must say `Content-Type: application/json`: besides being the contract, that
    /// makes a cross-site form or `fetch` without CORS unable to send it (a browser would first
    /// ask with a preflight, which this server never approves).
    /// - Throws: ``APIError``: 415 without a JSON content type, 413 past `maxBytes`, 400 when the
    ///   body is not JSON or not an object (field `body`).
    func jsonObject(maxBytes: Int) async throws -> [String: JSONValue] {
        let mediaType = headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else {
            throw APIError(.unsupportedMediaType, field: "content-type", "must be application/json")
        }
        let buffer = try await body.collect(upTo: maxBytes)
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else { throw APIError.badRequest([.init("body", "must be a JSON object, got an empty body")]) }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw APIError.badRequest([.init("body", "is not valid JSON")])
        }
        guard case .object(let object) = value else {
            throw APIError.badRequest([.init("body", "must be a JSON object, got \(value.typeName)")])
        }
        return object
    }
}
