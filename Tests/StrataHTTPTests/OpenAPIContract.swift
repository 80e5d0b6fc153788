import Foundation
import StrataRuntime

/// schemas/openapi.yaml, read with ``MiniYAML``, and a small JSON Schema checker for the subset
/// it uses ($ref, allOf, nullable, type, enum, required, properties, additionalProperties, items,
/// minimum, maximum, format date-time). Every test request is checked against it: the status must
/// be declared for the operation and the body must match the declared schema. Objects may not
/// carry keys the schema does not declare (unless it allows additional properties), so the
/// document and the server cannot drift apart silently.
struct OpenAPIContract: Sendable {
    let document: JSONValue

    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/openapi.yaml")

    static let shared: OpenAPIContract = {
        do {
            return OpenAPIContract(document: try MiniYAML.parse(try String(contentsOf: url, encoding: .utf8)))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    /// Every (method, path template) of the document, like ("get", "/api/instances/{id}").
    var operations: [(method: String, path: String)] {
        let methods = ["get", "post", "put", "patch", "delete"]
        return (document["paths"]?.objectValue ?? [:]).flatMap { path, item in
            methods.filter { item[$0] != nil }.map { (method: $0, path: path) }
        }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// The template of the document that `path` (no query) matches.
    func template(for path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return (document["paths"]?.objectValue ?? [:]).keys.sorted().first { template in
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == segments.count && zip(parts, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    /// What is wrong with an answer to `method uri`, against the document (empty: conforms).
    func problems(method: String, uri: String, status: Int, contentType: String?, body: String) -> [String] {
        let path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        if method == "HEAD" {
            // The GET's status and headers, no body.
            guard let template = template(for: path), let get = document["paths"]?[template]?["get"] else { return [] }
            return get["responses"]?[String(status)] == nil ? ["HEAD \(template): status \(status) is not declared for GET in openapi.yaml"] : []
        }
        guard let template = template(for: path) else {
            if path.hasPrefix("/api/") {
                return validate(JSONValue(parsing: body), schema: ref("#/components/schemas/Errors"), at: "body")
            }
            return []
        }
        guard let operation = document["paths"]?[template]?[method.lowercased()] else {
            // A method the path does not have: the framework's 404/405, still as JSON errors.
            return validate(JSONValue(parsing: body), schema: ref("#/components/schemas/Errors"), at: "body")
        }
        guard let declared = operation["responses"]?[String(status)] else {
            return ["\(method) \(template): status \(status) is not declared in openapi.yaml"]
        }
        let response = resolve(declared)
        guard let content = response["content"]?.objectValue, let (mediaType, media) = content.first else { return [] }
        if let contentType, !contentType.hasPrefix(mediaType) {
            return ["\(method) \(template) \(status): content type \(contentType), declared \(mediaType)"]
        }
        guard mediaType == "application/json", let schema = media["schema"] else { return [] }
        guard let json = JSONValue(parsing: body) else { return ["\(method) \(template) \(status): body is not JSON: \(body.prefix(200))"] }
        return validate(json, schema: schema, at: "\(method) \(template) \(status)")
    }

    func ref(_ pointer: String) -> JSONValue { .object(["$ref": .string(pointer)]) }

    /// Follows `$ref` chains.
    func resolve(_ schema: JSONValue) -> JSONValue {
        guard let pointer = schema["$ref"]?.stringValue, pointer.hasPrefix("#/") else { return schema }
        let target = pointer.dropFirst(2).split(separator: "/").reduce(document as JSONValue?) { $0?[String($1)] }
        return resolve(target ?? .null)
    }

    /// The problems of `value` against `schema` (empty: it conforms).
    func validate(_ value: JSONValue?, schema raw: JSONValue, at path: String) -> [String] {
        let schema = resolve(raw)
        guard let value else { return ["\(path): missing or not JSON"] }
        if case .null = value {
            let constrained = ["type", "allOf", "properties", "enum"].contains { schema[$0] != nil }
            return schema["nullable"] == .bool(true) || !constrained ? [] : ["\(path): null is not allowed"]
        }
        var problems: [String] = []
        for part in schema["allOf"]?.arrayValue ?? [] {
            problems += validate(value, schema: part, at: path)
        }
        if let type = schema["type"]?.stringValue, !Self.matches(value, type: type) {
            return problems + ["\(path): expected \(type), got \(value.typeName)"]
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            problems.append("\(path): \(value.encoded()) is not one of \(JSONValue.array(allowed).encoded())")
        }
        if let minimum = schema["minimum"]?.doubleValue, let number = value.doubleValue, number < minimum {
            problems.append("\(path): \(number) < minimum \(minimum)")
        }
        if let maximum = schema["maximum"]?.doubleValue, let number = value.doubleValue, number > maximum {
            problems.append("\(path): \(number) > maximum \(maximum)")
        }
        if schema["format"]?.stringValue == "date-time", let text = value.stringValue,
            (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) == nil
        {
            problems.append("\(path): '\(text)' is not an ISO 8601 date-time with milliseconds")
        }
        if case .object(let object) = value {
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
                problems.append("\(path): required key '\(key)' is missing")
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties[key] {
                    problems += validate(member, schema: property, at: "\(path).\(key)")
                } else if !properties.isEmpty, schema["additionalProperties"] != .bool(true) {
                    problems.append("\(path): key '\(key)' is not declared in openapi.yaml")
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                problems += validate(item, schema: itemSchema, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .integer),
            ("number", .integer), ("number", .number):
            return true
        default:
            return false
        }
    }
}
