import Foundation

/// The values an optimization tries for each swept config field, checked against the
/// strategy's CONFIG_SCHEMA. Fields not swept keep the base config.
///
/// A spec is `NAME=FROM:TO:STEP` (numbers; integer fields take whole numbers), `NAME=a,b,c`
/// (numbers, strings or booleans as the schema types the field) or `NAME` alone (the schema's
/// range: ``defaultSteps`` values from min to max, every enum value, both booleans). With no
/// spec at all, every numeric field with a min and a max and every enum and boolean field is swept,
/// except a float field whose range spans more than ``maxDefaultDecades`` powers of ten (a size,
/// like a quantity from 1e-8 to 1e9: five even steps across it say nothing).
public struct ParameterSpace: Sendable, Equatable {
    /// One swept field and its values, in the order they are tried.
    public struct Axis: Sendable, Equatable {
        public var name: String
        public var values: [JSONValue]

        public init(name: String, values: [JSONValue]) {
            self.name = name
            self.values = values
        }
    }

    public var axes: [Axis]

    /// Values taken from a schema range when no step is given.
    public static let defaultSteps = 5
    /// The most values one axis may have.
    public static let maxAxisValues = 100_000

    public init(axes: [Axis]) {
        self.axes = axes
    }

    /// The space `specs` describe for a strategy with `schema`.
    /// - Throws: ``OptimizationError`` naming the spec and how to fix it.
    public init(specs: [String], schema: ConfigSchema) throws(OptimizationError) {
        var axes: [Axis] = []
        if specs.isEmpty {
            for field in schema.fields {
                if Self.sweptByDefault(field) { axes.append(Axis(name: field.name, values: try Self.schemaValues(field))) }
            }
            guard !axes.isEmpty else {
                throw OptimizationError(
                    "nothing to sweep: the schema has no numeric field with min and max, no enum and no boolean; give --param NAME=FROM:TO:STEP or NAME=a,b,c")
            }
        }
        for spec in specs {
            let axis = try Self.axis(spec, schema: schema)
            guard !axes.contains(where: { $0.name == axis.name }) else { throw OptimizationError("--param \(spec): \(axis.name) is swept twice") }
            axes.append(axis)
        }
        self.axes = axes
    }

    /// A float field whose max/min ratio is larger than 10 to this power is not swept by default.
    public static let maxDefaultDecades = 6.0

    static func sweptByDefault(_ field: ConfigField) -> Bool {
        switch field.kind {
        case .enum, .boolean: return true
        case .string: return false
        case .integer, .float:
            guard let min = field.min, let max = field.max else { return false }
            guard field.kind == .float, min > 0 else { return true }
            return log10(max / min) <= maxDefaultDecades
        }
    }

    /// How many points the full grid has (saturating at `Int.max`).
    public var gridSize: Int {
        var size = 1
        for axis in axes {
            let (product, overflow) = size.multipliedReportingOverflow(by: axis.values.count)
            size = overflow ? Int.max : product
        }
        return size
    }

    /// The grid point at `index` (0 ..< ``gridSize``): the last axis varies fastest.
    public func point(at index: Int) -> [String: JSONValue] {
        var rest = index
        var point: [String: JSONValue] = [:]
        for axis in axes.reversed() {
            point[axis.name] = axis.values[rest % axis.values.count]
            rest /= axis.values.count
        }
        return point
    }

    // MARK: Parsing

    static func axis(_ spec: String, schema: ConfigSchema) throws(OptimizationError) -> Axis {
        let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw OptimizationError("--param \(spec): give NAME=FROM:TO:STEP, NAME=a,b,c or NAME") }
        guard let field = schema.field(name) else {
            let known = schema.fields.map(\.name).joined(separator: ", ")
            throw OptimizationError("--param \(spec): unknown parameter '\(name)' (the schema has: \(known.isEmpty ? "no fields" : known))")
        }
        guard parts.count == 2 else { return Axis(name: name, values: try schemaValues(field, spec: spec)) }
        let text = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw OptimizationError("--param \(spec): no values after '='") }
        let values: [JSONValue]
        if text.contains(":") && (field.kind == .integer || field.kind == .float) {
            values = try range(text, field: field, spec: spec)
        } else {
            values = try list(text, field: field, spec: spec)
        }
        return Axis(name: name, values: values)
    }

    /// `FROM:TO:STEP` (or `FROM:TO`, with ``defaultSteps`` values).
    static func range(_ text: String, field: ConfigField, spec: String) throws(OptimizationError) -> [JSONValue] {
        let numbers = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 2 || numbers.count == 3, numbers.allSatisfy({ $0?.isFinite == true }) else {
            throw OptimizationError("--param \(spec): a range is FROM:TO:STEP with numbers, like \(field.name)=5:50:5")
        }
        let from = numbers[0]!
        let to = numbers[1]!
        guard from <= to else { throw OptimizationError("--param \(spec): FROM (\(format(from))) is greater than TO (\(format(to)))") }
        try inSchema(.number(from), field: field, spec: spec)
        try inSchema(.number(to), field: field, spec: spec)
        guard numbers.count == 3 else { return evenly(from: from, to: to, field: field) }
        let step = numbers[2]!
        guard step > 0 else { throw OptimizationError("--param \(spec): STEP must be greater than 0, got \(format(step))") }
        if field.kind == .integer, [from, to, step].contains(where: { $0.rounded() != $0 }) {
            throw OptimizationError("--param \(spec): \(field.name) is an integer field: FROM, TO and STEP must be whole numbers")
        }
        let count = ((to - from) / step + 1e-9).rounded(.down) + 1
        guard count <= Double(maxAxisValues) else {
            throw OptimizationError("--param \(spec): \(format(count)) values (at most \(maxAxisValues)): take a larger STEP")
        }
        return (0..<Int(count)).map { i in typed(from + Double(i) * step, field: field) }
    }

    /// `a,b,c`, typed as the field is.
    static func list(_ text: String, field: ConfigField, spec: String) throws(OptimizationError) -> [JSONValue] {
        var values: [JSONValue] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let word = item.trimmingCharacters(in: .whitespaces)
            let value: JSONValue
            switch field.kind {
            case .integer, .float:
                guard let number = Double(word), number.isFinite else {
                    throw OptimizationError("--param \(spec): '\(word)' is not a number (\(field.name) is a \(field.kind.rawValue) field)")
                }
                value = typed(number, field: field)
                if field.kind == .integer, number.rounded() != number {
                    throw OptimizationError("--param \(spec): '\(word)' is not a whole number (\(field.name) is an integer field)")
                }
            case .boolean:
                guard word == "true" || word == "false" else { throw OptimizationError("--param \(spec): '\(word)' is not true or false") }
                value = .bool(word == "true")
            case .string, .enum:
                value = .string(word)
            }
            try inSchema(value, field: field, spec: spec)
            if !values.contains(value) { values.append(value) }
        }
        return values
    }

    /// The field's own range: min to max in ``defaultSteps`` values, every enum value, both booleans.
    static func schemaValues(_ field: ConfigField, spec: String? = nil) throws(OptimizationError) -> [JSONValue] {
        switch field.kind {
        case .boolean: return [.bool(false), .bool(true)]
        case .enum: return field.values.map(JSONValue.string)
        case .integer, .float:
            guard let min = field.min, let max = field.max else {
                throw OptimizationError(
                    "--param \(spec ?? field.name): the schema gives \(field.name) no min and max: give a range, like \(field.name)=FROM:TO:STEP, or a list, like \(field.name)=a,b,c"
                )
            }
            return evenly(from: min, to: max, field: field)
        case .string:
            throw OptimizationError("--param \(spec ?? field.name): \(field.name) is a string field: give its values, like \(field.name)=a,b,c")
        }
    }

    static func evenly(from: Double, to: Double, field: ConfigField) -> [JSONValue] {
        guard to > from else { return [typed(from, field: field)] }
        var values: [JSONValue] = []
        for i in 0..<defaultSteps {
            let value = typed(from + (to - from) * Double(i) / Double(defaultSteps - 1), field: field)
            if !values.contains(value) { values.append(value) }
        }
        return values
    }

    /// A number as the field stores it: an integer for integer fields (rounded), else a double
    /// without the last bits of float noise (0.30000000000000004 is 0.3).
    public static func typed(_ number: Double, field: ConfigField) -> JSONValue {
        if field.kind == .integer { return .integer(Int64(number.rounded())) }
        return .number(Double(String(format: "%.12g", number)) ?? number)
    }

    static func inSchema(_ value: JSONValue, field: ConfigField, spec: String) throws(OptimizationError) {
        if case .failure(let error) = field.check(field.kind == .integer ? value.roundedInteger : value) {
            throw OptimizationError("--param \(spec): \(format(value)) is out of the schema: \(field.name) \(error.message)")
        }
    }

    static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    static func format(_ value: JSONValue) -> String {
        switch value {
        case .number(let d): return format(d)
        case .string(let s): return "'\(s)'"
        default: return value.encoded()
        }
    }
}

extension JSONValue {
    /// A whole `.number` as `.integer`; anything else unchanged.
    var roundedInteger: JSONValue {
        if case .number(let d) = self, d.rounded() == d, abs(d) < 9e15 { return .integer(Int64(d)) }
        return self
    }
}
