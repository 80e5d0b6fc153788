import Foundation

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
