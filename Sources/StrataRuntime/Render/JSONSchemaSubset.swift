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

    /// Every way `value` fails the schema, in a stable order (an object's own problems before its
    /// members', members by name, elements by index); empty when it conforms.
    func validate(_ value: JSONValue) -> [SchemaViolation] {
        var validation = SchemaValidation(definitions: definitions)
        validation.check(value, against: root)
        return validation.violations
    }
}

/// Why a schema could not be parsed into the subset.
struct JSONSchemaSubsetError: Error, CustomStringConvertible, Equatable {
    /// A JSON pointer into the schema, such as `#/$defs/metric/properties/value`.
    var location: String
    var message: String

    var description: String { "\(location): \(message)" }
}

/// The JSON types a schema's `type` keyword names.
enum JSONType: String, Sendable {
    case null, boolean, integer, number, string, array, object

    /// Whether `value` is of this type. An integer-valued float is an integer, as JSON Schema
    /// says; an empty array is also an object and an empty object also an array (see
    /// `JSONSchemaSubset`).
    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.string, .string),
             (.integer, .integer), (.number, .integer), (.array, .array), (.object, .object):
            return true
        case (.number, .number(let d)):
            return d.isFinite
        case (.integer, .number(let d)):
            return d.isFinite && d.rounded(.towardZero) == d
        case (.array, .object(let members)):
            return members.isEmpty
        case (.object, .array(let elements)):
            return elements.isEmpty
        default:
            return false
        }
    }
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
            && !(isRoot && keyword == "$defs") {
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
                  names.count == value.arrayValue?.count else {
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

/// One way a value fails a schema: where, and what is wrong there.
struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// A step into a JSON document: an object member or an array element.
    enum PathComponent: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    var path: [PathComponent]
    var message: String
    /// Whether the value at `path` had the wrong JSON type: the branch of a union that failed
    /// this way got less far than one that failed on the value's contents.
    var isTypeMismatch = false

    /// The path as a reader writes it, `widgets[2].series[0].data[5]`; `(root)` for the document.
    var pathDescription: String {
        guard !path.isEmpty else { return "(root)" }
        var text = ""
        for component in path {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where key.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil:
                text += text.isEmpty ? key : ".\(key)"
            case .key(let key):
                text += "[\(JSONValue.string(key).encoded())]"
            }
        }
        return text
    }

    var description: String { "\(pathDescription): \(message)" }

    /// Compares how far into the document two failures got: +1 if this one went further, -1 if
    /// `other` did, 0 if neither can be said to.
    func progress(comparedTo other: SchemaViolation) -> Int {
        for (mine, theirs) in zip(path, other.path) where mine != theirs {
            if case .index(let i) = mine, case .index(let j) = theirs { return i > j ? 1 : -1 }
            return 0
        }
        if path.count != other.path.count { return path.count > other.path.count ? 1 : -1 }
        if isTypeMismatch != other.isTypeMismatch { return isTypeMismatch ? -1 : 1 }
        return 0
    }
}

/// One walk of a value against a schema, collecting violations.
private struct SchemaValidation {
    let definitions: [String: SchemaNode]
    var path: [SchemaViolation.PathComponent] = []
    var violations: [SchemaViolation] = []
    /// Stop at the first violation: enough to learn whether a union branch matches.
    var stopsAtFirstViolation = false

    private var isDone: Bool { stopsAtFirstViolation && !violations.isEmpty }

    mutating func check(_ value: JSONValue, against node: SchemaNode) {
        if let reference = node.reference, let definition = definitions[reference] {
            check(value, against: definition)
        }
        if let types = node.types, !types.contains(where: { $0.matches(value) }) {
            let expected = Self.list(types.map(\.rawValue), lastSeparator: " or ")
            report("expected \(expected), got \(Self.typeDescription(of: value))", isTypeMismatch: true)
            return  // the remaining keywords would only restate the mismatch
        }
        if let constant = node.constant, !Self.equal(constant, value) {
            report("expected \(Self.excerpt(constant)), got \(Self.excerpt(value))")
        }
        if let allowed = node.allowedValues, !allowed.contains(where: { Self.equal($0, value) }) {
            let expected = Self.list(allowed.map(Self.excerpt), lastSeparator: " or ")
            report("expected \(expected), got \(Self.excerpt(value))")
        }
        if let number = value.doubleValue, number.isFinite {
            if let minimum = node.minimum, number < minimum {
                report("\(Self.excerpt(value)) is less than the minimum \(Self.excerpt(.number(minimum)))")
            }
            if let maximum = node.maximum, number > maximum {
                report("\(Self.excerpt(value)) is greater than the maximum \(Self.excerpt(.number(maximum)))")
            }
        }
        if let elements = Self.elements(of: value) {
            checkElements(elements, against: node)
        }
        if let members = value.objectValue, !isDone {
            checkMembers(members, against: node)
        }
        if let branches = node.oneOf, !isDone {
            checkUnion(value, branches: branches, exactlyOne: true, in: node)
        }
        if let branches = node.anyOf, !isDone {
            checkUnion(value, branches: branches, exactlyOne: false, in: node)
        }
    }

    private mutating func checkElements(_ elements: [JSONValue], against node: SchemaNode) {
        if let minItems = node.minItems, elements.count < minItems {
            report("expected at least \(minItems) items, got \(elements.count)")
        }
        if let maxItems = node.maxItems, elements.count > maxItems {
            report("expected at most \(maxItems) items, got \(elements.count)")
        }
        guard let items = node.items else { return }
        for (index, element) in elements.enumerated() where !isDone {
            path.append(.index(index))
            check(element, against: items)
            path.removeLast()
        }
    }

    private mutating func checkMembers(_ members: [String: JSONValue], against node: SchemaNode) {
        for key in node.required where members[key] == nil {
            report("missing required property \(Self.excerpt(.string(key)))")
        }
        if !node.allowsAdditionalProperties, members.keys.contains(where: { node.properties[$0] == nil }) {
            let allowed = node.sortedProperties.map(\.name).joined(separator: ", ")
            for key in members.keys.sorted() where node.properties[key] == nil {
                report("unexpected property \(Self.excerpt(.string(key))) (allowed: \(allowed))")
            }
        }
        for (name, property) in node.sortedProperties where !isDone {
            guard let member = members[name] else { continue }
            path.append(.key(name))
            check(member, against: property)
            path.removeLast()
        }
    }

    /// `oneOf`/`anyOf`. When every branch pins the same property to a constant (a discriminated
    /// union, like a widget's `type`), only the branch that the value names is checked, so the
    /// errors are about that branch alone. Otherwise the branch that got furthest is reported.
    private mutating func checkUnion(
        _ value: JSONValue, branches: [SchemaNode], exactlyOne: Bool, in node: SchemaNode
    ) {
        let resolved = branches.map { branch in branch.reference.flatMap { definitions[$0] } ?? branch }
        if let members = value.objectValue, let key = Self.discriminator(of: resolved) {
            let tags = resolved.map { $0.properties[key]!.constant! }
            let expected = "expected one of " + tags.map(Self.tagText).joined(separator: ", ")
            guard let tag = members[key] else {
                return report("missing required property \(Self.excerpt(.string(key))) (\(expected))")
            }
            guard let index = tags.firstIndex(where: { Self.equal($0, tag) }) else {
                let noun = node.name.map { "\($0) \(key)" } ?? key
                path.append(.key(key))
                report("unknown \(noun) \(Self.excerpt(tag)) (\(expected))")
                path.removeLast()
                return
            }
            return check(value, against: branches[index])
        }

        // First only learn which branches match, each attempt stopping at its first violation:
        // a long series of {t, v} points should not build a message per point for the
        // plain-numbers branch that it was never going to match.
        var matches = 0
        for branch in branches where attempt(value, against: branch, stopsAtFirstViolation: true).isEmpty {
            matches += 1
            if !exactlyOne || matches > 1 { break }
        }
        if matches > 1 && exactlyOne {
            return report("matches more than one of the allowed shapes, expected exactly one")
        }
        if matches > 0 { return }
        // No branch matches: report every violation of the one that got furthest.
        var best: [SchemaViolation] = []
        for branch in branches {
            let failures = attempt(value, against: branch, stopsAtFirstViolation: false)
            if best.isEmpty || Self.wentFurther(failures, than: best) { best = failures }
        }
        violations += best
    }

    /// Checks `value` against one branch of a union, apart from this walk's own findings.
    private func attempt(
        _ value: JSONValue, against branch: SchemaNode, stopsAtFirstViolation: Bool
    ) -> [SchemaViolation] {
        var attempt = SchemaValidation(
            definitions: definitions, path: path, stopsAtFirstViolation: stopsAtFirstViolation)
        attempt.check(value, against: branch)
        return attempt.violations
    }

    private mutating func report(_ message: String, isTypeMismatch: Bool = false) {
        violations.append(SchemaViolation(path: path, message: message, isTypeMismatch: isTypeMismatch))
    }

    private static func wentFurther(_ candidate: [SchemaViolation], than best: [SchemaViolation]) -> Bool {
        switch candidate[0].progress(comparedTo: best[0]) {
        case 1: return true
        case -1: return false
        default: return candidate.count < best.count
        }
    }

    /// The property that every branch pins to a constant, if there is one.
    private static func discriminator(of branches: [SchemaNode]) -> String? {
        branches[0].properties.keys.sorted().first { key in
            branches.allSatisfy { $0.properties[key]?.constant != nil }
        }
    }

    /// The elements if `value` is an array; an empty object is an empty array (see `JSONType`).
    private static func elements(of value: JSONValue) -> [JSONValue]? {
        switch value {
        case .array(let elements): return elements
        case .object(let members) where members.isEmpty: return []
        default: return nil
        }
    }

    /// JSON equality: numbers compare by value, so 1 equals 1.0.
    private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, member in y[key].map { equal(member, $0) } ?? false }
        default:
            if let x = a.doubleValue, let y = b.doubleValue { return x == y }
            return a == b
        }
    }

    private static func typeDescription(of value: JSONValue) -> String {
        guard case .number(let d) = value, !d.isFinite else { return value.typeName }
        return d.isNaN ? "NaN" : (d < 0 ? "-infinity" : "infinity")
    }

    /// A value as JSON text, shortened so that a message stays one readable line.
    private static func excerpt(_ value: JSONValue) -> String {
        if case .number(let d) = value, !d.isFinite { return typeDescription(of: value) }
        if case .number(let d) = value, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        let text = value.encoded()
        return text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }

    /// A union tag as the reader thinks of it: `line_chart`, not `"line_chart"`.
    private static func tagText(_ tag: JSONValue) -> String {
        tag.stringValue ?? excerpt(tag)
    }

    private static func list(_ items: [String], lastSeparator: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + lastSeparator + items.last!
    }
}
