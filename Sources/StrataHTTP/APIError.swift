import Hummingbird
import StrataRuntime

/// A refused request: an HTTP status and every bad field, answered as
/// `{"errors": [{"field": …, "message": …}]}` (the `Errors` schema of the OpenAPI document).
public struct APIError: Error, Sendable, Equatable {
    /// One bad field: a body key, a config field, a query parameter, `id`, or `""` for the request as a whole.
    public struct FieldError: Sendable, Equatable {
        public var field: String
        public var message: String
        /// The Lua traceback, when a script's error refused the request.
        public var traceback: String?

        public init(_ field: String, _ message: String, traceback: String? = nil) {
            self.field = field
            self.message = message
            self.traceback = traceback
        }
    }

    public var status: HTTPResponse.Status
    public var errors: [FieldError]
    /// Extra response headers (`WWW-Authenticate` on 401, `Location` on 307).
    public var headers: HTTPFields = [:]
    /// Keys of the body beside `errors` (`node` and `address` on 307).
    var details: [String: JSONValue] = [:]

    public init(_ status: HTTPResponse.Status, _ errors: [FieldError], headers: HTTPFields = [:]) {
        self.status = status
        self.errors = errors
        self.headers = headers
    }

    public init(_ status: HTTPResponse.Status, field: String, _ message: String) {
        self.init(status, [FieldError(field, message)])
    }

    /// 400: the request is malformed (bad JSON, a wrong type, a bad query parameter).
    static func badRequest(_ errors: [FieldError]) -> APIError { APIError(.badRequest, errors) }
    /// 404: no such instance (or route).
    static func notFound(_ field: String, _ message: String) -> APIError { APIError(.notFound, field: field, message) }
    /// 409: the request conflicts with the current state.
    static func conflict(_ field: String, _ message: String) -> APIError { APIError(.conflict, field: field, message) }
    /// 422: well-formed but refused (a config value out of range, an unknown strategy type).
    static func invalid(_ errors: [FieldError]) -> APIError { APIError(.unprocessableContent, errors) }
    /// 422 with no field: a config that passes the schema but fails the script on trial.
    static func scriptRefused(_ error: StrategyError) -> APIError {
        APIError(.unprocessableContent, [FieldError("", error.trialSummary, traceback: error.traceback)])
    }

    /// 307: another node of the cluster runs the instance; `Location` is its `address` followed
    /// by `target` (this request's path and query), and the body names the node and its address.
    static func runsElsewhere(_ id: String, node: String, address: String, target: String) -> APIError {
        var address = address
        while address.hasSuffix("/") { address.removeLast() }
        var error = APIError(
            .temporaryRedirect, field: "id", "instance '\(QueryReader.shown(id))' runs on node '\(QueryReader.shown(node))' (\(address))")
        error.headers[.location] = address + target
        error.details = ["node": .string(node), "address": .string(address)]
        return error
    }

    /// The JSON body.
    var json: JSONValue {
        var body = details
        body["errors"] = .array(
            errors.map { error in
                var item: [String: JSONValue] = ["field": .string(error.field), "message": .string(error.message)]
                if let traceback = error.traceback { item["traceback"] = .string(traceback) }
                return .object(item)
            })
        return .object(body)
    }
}

extension APIError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(json, status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}

extension APIError.FieldError {
    /// The error of a config field (from the strategy's schema), named `prefix + field`.
    init(_ error: ConfigFieldError, prefix: String = "") {
        self.init(prefix + error.field, error.message)
    }
}
