import Foundation

/// A condition every trial's parameters must meet, like `fast < slow` or `fast * 2 <= slow`:
/// two sides compared with `<`, `<=`, `>`, `>=`, `==` or `!=`; a side is a parameter name or a
/// number, optionally times (`*`), divided by (`/`), plus or minus (`+`, `-`) a number or name.
public struct ParameterConstraint: Sendable, Equatable {
    /// A term: a config field's name or a number.
    public enum Operand: Sendable, Equatable {
        case name(String)
        case number(Double)
    }

    /// One side: `first`, then `(operator, operand)` pairs applied left to right.
    public struct Side: Sendable, Equatable {
        public var first: Operand
        public var rest: [(Character, Operand)]

        public static func == (a: Side, b: Side) -> Bool {
            a.first == b.first && a.rest.count == b.rest.count && zip(a.rest, b.rest).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        }
    }

    public var text: String
    public var left: Side
    public var comparison: String
    public var right: Side

    static let comparisons = ["<=", ">=", "==", "!=", "<", ">"]

    /// Parses `text`; every name must be a config field of `schema` (when given).
    /// - Throws: ``OptimizationError`` quoting the constraint.
    public init(parsing text: String, schema: ConfigSchema? = nil) throws(OptimizationError) {
        self.text = text
        guard let comparison = Self.comparisons.first(where: { text.contains($0) }),
            let range = text.range(of: comparison)
        else {
            throw OptimizationError("--constraint '\(text)': compare two sides with <, <=, >, >=, == or !=, like \"fast < slow\"")
        }
        self.comparison = comparison
        left = try Self.side(String(text[..<range.lowerBound]), in: text)
        right = try Self.side(String(text[range.upperBound...]), in: text)
        if let schema {
            for name in names where schema.field(name) == nil {
                let known = schema.fields.map(\.name).joined(separator: ", ")
                throw OptimizationError("--constraint '\(text)': unknown parameter '\(name)' (the schema has: \(known.isEmpty ? "no fields" : known))")
            }
        }
    }

    /// The parameter names the constraint reads.
    public var names: [String] {
        ([left.first, right.first] + left.rest.map(\.1) + right.rest.map(\.1)).compactMap {
            if case .name(let name) = $0 { return name } else { return nil }
        }
    }

    /// Whether `config` meets the constraint (a name that is not a number there fails it).
    public func holds(for config: [String: JSONValue]) -> Bool {
        guard let a = Self.evaluate(left, config), let b = Self.evaluate(right, config) else { return false }
        switch comparison {
        case "<": return a < b
        case "<=": return a <= b
        case ">": return a > b
        case ">=": return a >= b
        case "==": return a == b
        default: return a != b
        }
    }

    static func evaluate(_ side: Side, _ config: [String: JSONValue]) -> Double? {
        func value(_ operand: Operand) -> Double? {
            switch operand {
            case .number(let d): return d
            case .name(let name): return config[name]?.doubleValue
            }
        }
        guard var total = value(side.first) else { return nil }
        for (op, operand) in side.rest {
            guard let v = value(operand) else { return nil }
            switch op {
            case "*": total *= v
            case "/": total /= v
            case "+": total += v
            default: total -= v
            }
        }
        return total
    }

    static func side(_ text: String, in whole: String) throws(OptimizationError) -> Side {
        var tokens: [String] = []
        var current = ""
        for character in text {
            if "*/+-".contains(character)
                && !(character == "-" && current.trimmingCharacters(in: .whitespaces).isEmpty
                    && (tokens.isEmpty || tokens.last.map { "*/+-".contains($0) } == true))
            {
                tokens.append(current.trimmingCharacters(in: .whitespaces))
                tokens.append(String(character))
                current = ""
            } else {
                current.append(character)
            }
        }
        tokens.append(current.trimmingCharacters(in: .whitespaces))
        func operand(_ token: String) throws(OptimizationError) -> Operand {
            if let number = Double(token), number.isFinite { return .number(number) }
            guard let first = token.first, first.isLetter || first == "_", token.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw OptimizationError("--constraint '\(whole)': '\(token)' is neither a parameter name nor a number")
            }
            return .name(token)
        }
        var side = Side(first: try operand(tokens[0]), rest: [])
        var index = 1
        while index + 1 < tokens.count {
            side.rest.append((Character(tokens[index]), try operand(tokens[index + 1])))
            index += 2
        }
        guard index == tokens.count else { throw OptimizationError("--constraint '\(whole)': an operator needs something after it") }
        return side
    }
}
