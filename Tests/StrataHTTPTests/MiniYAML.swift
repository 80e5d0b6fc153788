import Foundation
import StrataRuntime

/// Just enough YAML to read schemas/openapi.yaml without a package: block mappings and
/// sequences by indentation, one-line flow collections (`{ a: b, c: [x, y] }`), quoted and plain
/// scalars, and `|` block scalars. Anything else is an error rather than a guess.
enum MiniYAML {
    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "openapi.yaml line \(line): \(message)" }
    }

    private struct Line {
        var number: Int
        var indent: Int
        var text: String
    }

    static func parse(_ text: String) throws -> JSONValue {
        let lines = text.components(separatedBy: "\n").enumerated().compactMap { index, raw -> Line? in
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            let indent = raw.prefix { $0 == " " }.count
            return Line(number: index + 1, indent: indent, text: String(raw.dropFirst(indent)).trimmingCharacters(in: .whitespaces))
        }
        var parser = BlockParser(lines: lines, raw: text.components(separatedBy: "\n"))
        let value = try parser.block(indent: 0)
        if parser.index < lines.count { throw ParseError(line: lines[parser.index].number, message: "unexpected indentation") }
        return value
    }

    private struct BlockParser {
        var lines: [Line]
        let raw: [String]
        var index = 0

        mutating func block(indent: Int) throws -> JSONValue {
            guard index < lines.count else { return .null }
            return lines[index].text.hasPrefix("- ") || lines[index].text == "-" ? try sequence(indent: indent) : try mapping(indent: indent)
        }

        mutating func sequence(indent: Int) throws -> JSONValue {
            var items: [JSONValue] = []
            while index < lines.count, lines[index].indent == indent, lines[index].text.hasPrefix("-") {
                let line = lines[index]
                let rest = String(line.text.dropFirst()).trimmingCharacters(in: .whitespaces)
                if rest.isEmpty {
                    index += 1
                    items.append(index < lines.count && lines[index].indent > indent ? try block(indent: lines[index].indent) : .null)
                } else if Self.mappingKey(rest) != nil {
                    // "- key: value" starts a mapping whose lines sit two columns further in.
                    let inner = indent + (line.text.count - rest.count)
                    lines[index] = Line(number: line.number, indent: inner, text: rest)
                    items.append(try mapping(indent: inner))
                } else {
                    index += 1
                    items.append(try FlowParser.value(rest, line: line.number))
                }
            }
            return .array(items)
        }

        mutating func mapping(indent: Int) throws -> JSONValue {
            var object: [String: JSONValue] = [:]
            while index < lines.count, lines[index].indent == indent {
                let line = lines[index]
                guard let (key, rest) = Self.mappingKey(line.text) else {
                    throw ParseError(line: line.number, message: "expected 'key: value', got '\(line.text)'")
                }
                index += 1
                if rest.isEmpty {
                    object[key] = index < lines.count && lines[index].indent > indent ? try block(indent: lines[index].indent) : .null
                } else if rest == "|" || rest == ">" {
                    var text: [String] = []
                    while index < lines.count, lines[index].indent > indent {
                        text.append(lines[index].text)
                        index += 1
                    }
                    object[key] = .string(text.joined(separator: rest == "|" ? "\n" : " ") + "\n")
                } else {
                    object[key] = try FlowParser.value(rest, line: line.number)
                }
            }
            return .object(object)
        }

        /// `key: rest` (the key plain or quoted), or nil when the line is not a mapping entry.
        static func mappingKey(_ text: String) -> (String, String)? {
            if text.hasPrefix("\"") || text.hasPrefix("'") {
                let quote = text.first!
                guard let end = text.dropFirst().firstIndex(of: quote) else { return nil }
                let after = text[text.index(after: end)...]
                guard after.hasPrefix(":") else { return nil }
                return (String(text[text.index(after: text.startIndex)..<end]), after.dropFirst().trimmingCharacters(in: .whitespaces))
            }
            guard !text.hasPrefix("{"), !text.hasPrefix("["),
                let colon = text.range(of: ": ") ?? (text.hasSuffix(":") ? text.range(of: ":", options: .backwards) : nil)
            else {
                return nil
            }
            return (String(text[..<colon.lowerBound]), String(text[colon.upperBound...]).trimmingCharacters(in: .whitespaces))
        }
    }

    /// One-line flow values: `{…}`, `[…]`, quoted strings and plain scalars.
    private struct FlowParser {
        let chars: [Character]
        var position = 0
        let line: Int

        static func value(_ text: String, line: Int) throws -> JSONValue {
            var parser = FlowParser(chars: Array(text), line: line)
            let value = try parser.value(inFlow: false)
            parser.skipSpaces()
            guard parser.position == parser.chars.count else { throw ParseError(line: line, message: "trailing text in '\(text)'") }
            return value
        }

        mutating func skipSpaces() {
            while position < chars.count, chars[position] == " " { position += 1 }
        }

        mutating func value(inFlow: Bool) throws -> JSONValue {
            skipSpaces()
            guard position < chars.count else { return .null }
            switch chars[position] {
            case "{": return try mapping()
            case "[": return try sequence()
            case "\"", "'": return .string(try quoted())
            default: return Self.scalar(plain(inFlow: inFlow))
            }
        }

        mutating func mapping() throws -> JSONValue {
            position += 1
            var object: [String: JSONValue] = [:]
            while true {
                skipSpaces()
                guard position < chars.count else { throw ParseError(line: line, message: "unterminated {") }
                if chars[position] == "}" {
                    position += 1
                    return .object(object)
                }
                let key: String
                if chars[position] == "\"" || chars[position] == "'" { key = try quoted() } else { key = plainKey() }
                skipSpaces()
                guard position < chars.count, chars[position] == ":" else { throw ParseError(line: line, message: "expected ':' after \(key)") }
                position += 1
                object[key] = try value(inFlow: true)
                skipSpaces()
                if position < chars.count, chars[position] == "," { position += 1 }
            }
        }

        mutating func sequence() throws -> JSONValue {
            position += 1
            var items: [JSONValue] = []
            while true {
                skipSpaces()
                guard position < chars.count else { throw ParseError(line: line, message: "unterminated [") }
                if chars[position] == "]" {
                    position += 1
                    return .array(items)
                }
                items.append(try value(inFlow: true))
                skipSpaces()
                if position < chars.count, chars[position] == "," { position += 1 }
            }
        }

        mutating func quoted() throws -> String {
            let quote = chars[position]
            position += 1
            var text = ""
            while position < chars.count {
                let c = chars[position]
                position += 1
                if c == quote { return text }
                if c == "\\" && quote == "\"" && position < chars.count {
                    let escaped = chars[position]
                    position += 1
                    text.append(escaped == "n" ? "\n" : escaped)
                } else {
                    text.append(c)
                }
            }
            throw ParseError(line: line, message: "unterminated string")
        }

        mutating func plainKey() -> String {
            let start = position
            while position < chars.count, chars[position] != ":" { position += 1 }
            return String(chars[start..<position]).trimmingCharacters(in: .whitespaces)
        }

        mutating func plain(inFlow: Bool) -> String {
            let start = position
            while position < chars.count, !(inFlow && (chars[position] == "," || chars[position] == "}" || chars[position] == "]")) {
                position += 1
            }
            return String(chars[start..<position]).trimmingCharacters(in: .whitespaces)
        }

        static func scalar(_ text: String) -> JSONValue {
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null", "~", "": return .null
            default:
                if let integer = Int64(text) { return .integer(integer) }
                if let number = Double(text), text.first?.isNumber == true || text.first == "-" { return .number(number) }
                return .string(text)
            }
        }
    }
}
