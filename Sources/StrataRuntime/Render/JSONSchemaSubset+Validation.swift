import Foundation

extension JSONSchemaSubset {
    /// Every way `value` fails the schema, in a stable order (an object's own problems before its
    /// members', members by name, elements by index); empty when it conforms.
    func validate(_ value: JSONValue) -> [SchemaViolation] {
        var validation = SchemaValidation(definitions: definitions)
        validation.check(value, against: root)
        return validation.violations
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
