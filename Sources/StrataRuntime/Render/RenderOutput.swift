/// Checks and caps what `render()` returned before anyone sees it.
enum RenderOutput {
    /// Trims every array longer than `arrayCap` to its last `arrayCap` items (charts show the
    /// most recent points), then validates against the widget schema.
    static func validate(_ output: JSONValue, arrayCap: Int) throws(StrategyError) -> JSONValue {
        let capped = cap(output, arrayCap: arrayCap)
        let problems = WidgetValidator.shared.validate(capped)
        guard problems.isEmpty else {
            throw StrategyError(
                kind: .invalidRender, phase: .render,
                message: "render() output does not match the widget schema: " + problems.joined(separator: "; "))
        }
        return capped
    }

    static func cap(_ value: JSONValue, arrayCap: Int) -> JSONValue {
        switch value {
        case .array(let items):
            return .array(items.suffix(arrayCap).map { cap($0, arrayCap: arrayCap) })
        case .object(let fields):
            return .object(fields.mapValues { cap($0, arrayCap: arrayCap) })
        default:
            return value
        }
    }
}
