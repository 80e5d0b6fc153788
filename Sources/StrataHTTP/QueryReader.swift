import Foundation
import Hummingbird

/// Reads query parameters as a browser's `URLSearchParams` writes them (`+` is a space, then
/// percent-decoding), collecting one error per bad parameter so that all are reported at once.
/// Unknown parameters are ignored (cache busters, future options); the first of repeated ones
/// wins. A typed parameter given empty (`?limit=`) is an error; free text (`q=`) may be empty.
struct QueryReader {
    private var values: [String: String] = [:]
    private(set) var errors: [APIError.FieldError] = []

    init(_ request: Request) {
        self.init(query: request.uri.query ?? "")
    }

    init(query: String) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = Self.decode(parts[0]) else { continue }
            guard values[key] == nil else { continue }
            if let value = Self.decode(parts.count > 1 ? parts[1] : "") {
                values[key] = value
            } else {
                values[key] = ""
                errors.append(.init(key, "is not valid percent-encoded UTF-8"))
            }
        }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The parameter's text; nil when missing or empty.
    func string(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty, !errors.contains(where: { $0.field == name }) else { return nil }
        return value
    }

    /// Records an error when `name` is given with no value (`?limit=`): for a typed parameter
    /// that is a malformed value, not a missing one.
    /// - Returns: whether it was.
    mutating func rejectEmpty(_ name: String) -> Bool {
        guard values[name] == "", !errors.contains(where: { $0.field == name }) else { return false }
        errors.append(.init(name, "must not be empty (leave the parameter out instead)"))
        return true
    }

    /// An integer within `range`, `defaultValue` when missing (an error when malformed or empty).
    mutating func integer(_ name: String, in range: ClosedRange<Int>, default defaultValue: Int) -> Int {
        if rejectEmpty(name) { return defaultValue }
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            let upper = range.upperBound == .max ? "" : " to \(range.upperBound)"
            errors.append(.init(name, "must be an integer from \(range.lowerBound)\(upper), got '\(Self.shown(text))'"))
            return defaultValue
        }
        return value
    }

    /// An integer within `range` that must be given: nil, with an error, when it is missing,
    /// empty or malformed.
    mutating func requiredInteger(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard values[name] != nil else {
            errors.append(.init(name, "is required"))
            return nil
        }
        let value = integer(name, in: range, default: range.lowerBound)
        return errors.contains { $0.field == name } ? nil : value
    }

    /// One of a type's raw values; nil when missing (an error when not one of them, or empty).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) -> T? where T.RawValue == String {
        if rejectEmpty(name) { return nil }
        guard let text = string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            errors.append(.init(name, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(Self.shown(text))'"))
            return nil
        }
        return value
    }

    /// An identifier (instance id, strategy type): nil when missing; an error when longer than
    /// ``IdentifierCharacters/maxQueryLength`` or holding a character no identifier may hold.
    mutating func identifier(_ name: String) -> String? {
        if rejectEmpty(name) { return nil }
        guard let text = string(name) else { return nil }
        if text.unicodeScalars.count > IdentifierCharacters.maxQueryLength {
            errors.append(.init(name, "must be at most \(IdentifierCharacters.maxQueryLength) characters"))
            return nil
        }
        if let problem = IdentifierCharacters.problem(text) {
            errors.append(.init(name, problem))
            return nil
        }
        return text
    }

    /// Records a bad parameter found by the caller.
    mutating func reject(_ name: String, _ message: String) {
        errors.append(.init(name, message))
    }

    /// Throws 400 with every bad parameter, if any.
    func check() throws {
        if !errors.isEmpty { throw APIError.badRequest(errors) }
    }

    /// A value as echoed in a message: at most 64 characters.
    static func shown(_ text: String) -> String {
        text.count > 64 ? String(text.prefix(64)) + "…" : text
    }
}
