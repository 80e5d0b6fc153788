import Foundation

/// A JSON Schema (draft 2020-12) restricted to the keywords Strata's own schemas use, parsed once
/// and applied to `JSONValue`s.
///
/// Supported: `type` (a name or a list), `properties`, `required`, `additionalProperties` (a
/// boolean), `items`, `enum`, `const`, `minItems`, `maxItems`, `minimum`, `maximum`, `oneOf`,
/// `anyOf`, and `$ref` to `#/$defs/NAME`; annotations (`title`, `description`, …) are ignored.
/// Any other keyword is a parse error rather than silently skipped, so that this interpreter can
/// never quietly accept what a full validator would reject.
///
/// Two deliberate departures, because an empty Lua table has no way to say whether it is an array
/// or an object: an empty array counts as an (empty) object, and an empty object as an (empty)
/// array. NaN and infinities are not numbers here, since JSON cannot carry them.
struct JSONSchemaSubset: Sendable {
    let root: SchemaNode
    let definitions: [String: SchemaNode]

    /// Parses schema text.
    /// - Throws: `JSONSchemaSubsetError` if the text is not JSON or uses what the subset lacks.
    init(parsing text: String) throws(JSONSchemaSubsetError) {
        guard let document = JSONValue(parsing: text) else {
            throw JSONSchemaSubsetError(location: "#", message: "not valid JSON")
        }
        try self.init(document: document)
    }

    /// Parses a schema document.
    /// - Throws: `JSONSchemaSubsetError` naming the location of the first unsupported construct.
    init(document: JSONValue) throws(JSONSchemaSubsetError) {
        var parser = SchemaParser()
        let definitionsJSON = document["$defs"] ?? .object([:])
        guard let definitionsByName = definitionsJSON.objectValue else {
            throw JSONSchemaSubsetError(location: "#/$defs", message: "expected an object")
        }
        var definitions: [String: SchemaNode] = [:]
        for (name, definition) in definitionsByName.sorted(by: { $0.key < $1.key }) {
            definitions[name] = try parser.node(definition, at: "#/$defs/\(name)", name: name)
        }
        root = try parser.node(document, at: "#", name: nil, isRoot: true)
        for reference in parser.references.sorted() where definitions[reference] == nil {
            throw JSONSchemaSubsetError(location: "#/$defs/\(reference)", message: "$ref to a missing definition")
        }
        self.definitions = definitions
    }
}

/// Why a schema could not be parsed into the subset.
struct JSONSchemaSubsetError: Error, CustomStringConvertible, Equatable {
    /// A JSON pointer into the schema, such as `#/$defs/metric/properties/value`.
    var location: String
    var message: String

    var description: String { "\(location): \(message)" }
}

/// One parsed (sub)schema. A class because schemas nest; immutable, so it is `Sendable`.
final class SchemaNode: Sendable {
    /// The `$defs` name this node was defined under, used to word messages ("unknown widget type").
    let name: String?
    /// The definition named by `$ref`, applied in addition to this node's own keywords.
    let reference: String?
    let types: [JSONType]?
    let constant: JSONValue?
    let allowedValues: [JSONValue]?
    let minimum: Double?
    let maximum: Double?
    let minItems: Int?
    let maxItems: Int?
    let items: SchemaNode?
    let properties: [String: SchemaNode]
    /// `properties` sorted by name, the order in which members are checked and reported.
    let sortedProperties: [(name: String, schema: SchemaNode)]
    let required: [String]
    let allowsAdditionalProperties: Bool
    let oneOf: [SchemaNode]?
    let anyOf: [SchemaNode]?

    fileprivate init(
        name: String?, reference: String?, types: [JSONType]?, constant: JSONValue?,
        allowedValues: [JSONValue]?, minimum: Double?, maximum: Double?, minItems: Int?,
        maxItems: Int?, items: SchemaNode?, properties: [String: SchemaNode], required: [String],
        allowsAdditionalProperties: Bool, oneOf: [SchemaNode]?, anyOf: [SchemaNode]?
    ) {
        self.name = name
        self.reference = reference
        self.types = types
        self.constant = constant
        self.allowedValues = allowedValues
        self.minimum = minimum
        self.maximum = maximum
        self.minItems = minItems
        self.maxItems = maxItems
        self.items = items
        self.properties = properties
        self.sortedProperties = properties.sorted { $0.key < $1.key }.map { (name: $0.key, schema: $0.value) }
        self.required = required
        self.allowsAdditionalProperties = allowsAdditionalProperties
        self.oneOf = oneOf
        self.anyOf = anyOf
    }
}

/// Turns schema JSON into `SchemaNode`s, refusing anything outside the subset.
private struct SchemaParser {
    /// Keywords with no effect on validation.
    static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated",
        "readOnly", "writeOnly",
    ]
    static let keywords: Set<String> = [
        "$ref", "type", "const", "enum", "minimum", "maximum", "minItems", "maxItems", "items",
        "properties", "required", "additionalProperties", "oneOf", "anyOf",
    ]
    static let referencePrefix = "#/$defs/"

    /// Every definition name a `$ref` pointed at, checked once all definitions are known.
    var references: Set<String> = []

    mutating func node(
        _ json: JSONValue, at location: String, name: String?, isRoot: Bool = false
    ) throws(JSONSchemaSubsetError) -> SchemaNode {
        guard case .object(let schema) = json else {
            throw JSONSchemaSubsetError(location: location, message: "a schema must be an object")
        }
        for keyword in schema.keys.sorted()
        where !Self.keywords.contains(keyword) && !Self.annotations.contains(keyword)
            && !(isRoot && keyword == "$defs")
        {
            throw JSONSchemaSubsetError(location: location, message: "unsupported keyword \(keyword)")
        }
        func fail(_ keyword: String, _ message: String) -> JSONSchemaSubsetError {
            JSONSchemaSubsetError(location: "\(location)/\(keyword)", message: message)
        }

        var reference: String?
        if let ref = schema["$ref"] {
            guard let target = ref.stringValue, target.hasPrefix(Self.referencePrefix) else {
                throw fail("$ref", "only references to \(Self.referencePrefix)NAME are supported")
            }
            reference = String(target.dropFirst(Self.referencePrefix.count))
            references.insert(reference!)
        }

        var types: [JSONType]?
        if let type = schema["type"] {
            let names = type.stringValue.map { [JSONValue.string($0)] } ?? type.arrayValue ?? []
            types = try names.map { (name) throws(JSONSchemaSubsetError) -> JSONType in
                guard let type = name.stringValue.flatMap(JSONType.init(rawValue:)) else {
                    throw fail("type", "unknown type \(name.encoded())")
                }
                return type
            }
            if types!.isEmpty { throw fail("type", "expected a type name or a non-empty list of them") }
        }

        func number(_ keyword: String) throws(JSONSchemaSubsetError) -> Double? {
            guard let value = schema[keyword] else { return nil }
            guard let number = value.doubleValue else { throw fail(keyword, "expected a number") }
            return number
        }
        func count(_ keyword: String) throws(JSONSchemaSubsetError) -> Int? {
            guard let value = schema[keyword] else { return nil }
            guard case .integer(let count) = value, count >= 0 else {
                throw fail(keyword, "expected a non-negative integer")
            }
            return Int(count)
        }
        func branches(_ keyword: String) throws(JSONSchemaSubsetError) -> [SchemaNode]? {
            guard let value = schema[keyword] else { return nil }
            guard let list = value.arrayValue, !list.isEmpty else {
                throw fail(keyword, "expected a non-empty list of schemas")
            }
            var nodes: [SchemaNode] = []
            for (index, branch) in list.enumerated() {
                nodes.append(try node(branch, at: "\(location)/\(keyword)/\(index)", name: nil))
            }
            return nodes
        }

        var properties: [String: SchemaNode] = [:]
        if let value = schema["properties"] {
            guard let members = value.objectValue else { throw fail("properties", "expected an object") }
            for (key, property) in members {
                properties[key] = try node(property, at: "\(location)/properties/\(key)", name: nil)
            }
        }
        var required: [String] = []
        if let value = schema["required"] {
            guard let names = value.arrayValue?.compactMap(\.stringValue),
                names.count == value.arrayValue?.count
            else {
                throw fail("required", "expected a list of property names")
            }
            required = names
        }
        var allowsAdditionalProperties = true
        if let value = schema["additionalProperties"] {
            guard case .bool(let allowed) = value else {
                throw fail("additionalProperties", "only true or false is supported")
            }
            allowsAdditionalProperties = allowed
        }
        var allowedValues: [JSONValue]?
        if let value = schema["enum"] {
            guard let list = value.arrayValue, !list.isEmpty else { throw fail("enum", "expected a non-empty list") }
            allowedValues = list
        }

        return SchemaNode(
            name: name,
            reference: reference,
            types: types,
            constant: schema["const"],
            allowedValues: allowedValues,
            minimum: try number("minimum"),
            maximum: try number("maximum"),
            minItems: try count("minItems"),
            maxItems: try count("maxItems"),
            items: try schema["items"].map { (items) throws(JSONSchemaSubsetError) in
                try node(items, at: "\(location)/items", name: nil)
            },
            properties: properties,
            required: required,
            allowsAdditionalProperties: allowsAdditionalProperties,
            oneOf: try branches("oneOf"),
            anyOf: try branches("anyOf")
        )
    }
}
