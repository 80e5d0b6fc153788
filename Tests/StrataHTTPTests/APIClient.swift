import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StrataRuntime
import Testing

/// One answer, with its body as text and JSON.
struct APIResponse: Sendable {
    var status: Int
    var headers: HTTPFields
    var text: String

    var json: JSONValue? { JSONValue(parsing: text) }
    /// The `field` of each entry of an `Errors` body.
    var errorFields: [String] { json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [] }
    /// The message of the first error naming `field`.
    func message(for field: String) -> String? {
        json?["errors"]?.arrayValue?.first { $0["field"]?.stringValue == field }?["message"]?.stringValue
    }
}

/// The test client with the checks every answer must pass, whatever the request: no 5xx, the
/// security headers, and conformance to schemas/openapi.yaml (declared status, body schema).
struct APIClient: Sendable {
    let client: any TestClientProtocol
    let token: String?

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

    /// Sends a request. A `json` body is sent as `application/json`; a `raw` body with
    /// `contentType` (none when nil). The fixture's token is sent as a bearer header unless
    /// `authorize` is false or the headers carry their own.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil, raw: [UInt8]? = nil,
        contentType: String? = "application/json", headers: HTTPFields = [:], authorize: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> APIResponse {
        var headers = headers
        if authorize, let token, headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json { body = ByteBuffer(string: json.encoded()) }
        if let raw { body = ByteBuffer(bytes: raw) }
        if body != nil, let contentType, headers[.contentType] == nil { headers[.contentType] = contentType }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        let answer = APIResponse(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
        let shown = "\(method) \(uri.prefix(200))"
        #expect(answer.status < 500, "\(shown) → \(answer.status): \(answer.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(answer.headers[.contentSecurityPolicy] == Self.contentSecurityPolicy, "\(shown): CSP", sourceLocation: sourceLocation)
        #expect(answer.headers[.xContentTypeOptions] == "nosniff", "\(shown)", sourceLocation: sourceLocation)
        #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(shown)", sourceLocation: sourceLocation)
        let problems = OpenAPIContract.shared.problems(
            method: method.rawValue, uri: uri, status: answer.status,
            contentType: answer.headers[.contentType], body: answer.text)
        #expect(
            problems.isEmpty, "\(shown) → \(answer.status) does not conform: \(problems.prefix(5)) body: \(answer.text.prefix(300))",
            sourceLocation: sourceLocation)
        return answer
    }

    @discardableResult
    func get(
        _ uri: String, headers: HTTPFields = [:], authorize: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> APIResponse {
        try await send(.get, uri, headers: headers, authorize: authorize, sourceLocation: sourceLocation)
    }

    @discardableResult
    func post(_ uri: String, _ json: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws -> APIResponse {
        try await send(.post, uri, json: json, sourceLocation: sourceLocation)
    }

    @discardableResult
    func patch(_ uri: String, _ json: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws -> APIResponse {
        try await send(.patch, uri, json: json, sourceLocation: sourceLocation)
    }

    @discardableResult
    func put(_ uri: String, _ json: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws -> APIResponse {
        try await send(.put, uri, json: json, sourceLocation: sourceLocation)
    }

    /// Creates an instance through the API and expects 201.
    @discardableResult
    func create(
        _ id: String, type: String = "widgets", market: String = "X/USD", mode: String = "off",
        config: [String: JSONValue] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> APIResponse {
        let answer = try await post(
            "/api/instances",
            .object([
                "id": .string(id), "strategy_type": .string(type), "account": "paper", "market": .string(market),
                "mode": .string(mode), "config": .object(config),
            ]), sourceLocation: sourceLocation)
        #expect(answer.status == 201, "\(answer.text)", sourceLocation: sourceLocation)
        return answer
    }

    /// The instance's status `state` (GET detail).
    func state(_ id: String) async throws -> String? {
        try await get("/api/instances/\(id)").json?["status"]?["state"]?.stringValue
    }
}

/// Literals for test bodies and expectations: `["mode": "observe", "config": ["window": 5]]`.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral,
    ExpressibleByNilLiteral
{
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
}
