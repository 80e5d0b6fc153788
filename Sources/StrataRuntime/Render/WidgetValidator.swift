/// Checks what a strategy's `render()` returns against `schemas/widgets.schema.json`.
///
/// Output that fails is an `invalid_render` error shown in the UI; the messages name the place
/// in the output, with zero-based indices as in JSON:
/// `widgets[2].series[0].data[5]: expected number, got string`.
public struct WidgetValidator: Sendable {
    /// At most this many messages are returned, then one line that counts the rest: a broken
    /// series can fail at every point, and nobody reads ten thousand copies of the same message.
    static let maxReportedErrors = 20

    /// The validator for the widget schema embedded in this module, parsed once.
    public static let shared: WidgetValidator = {
        do {
            return WidgetValidator(schema: try JSONSchemaSubset(parsing: WidgetSchemaText.widgets))
        } catch {
            // The text is compiled in and a test parses it, so this is a build defect, not input.
            preconditionFailure("embedded widgets schema is not usable: \(error)")
        }
    }()

    let schema: JSONSchemaSubset

    /// Validates render output.
    /// - Parameter output: what `render()` returned, as JSON.
    /// - Returns: one message per violation, each starting with its JSON path (`(root)` for the
    ///   whole output); empty when the output is valid.
    public func validate(_ output: JSONValue) -> [String] {
        let violations = schema.validate(output)
        guard violations.count > Self.maxReportedErrors else { return violations.map(\.description) }
        let unreported = violations.count - Self.maxReportedErrors
        return violations.prefix(Self.maxReportedErrors).map(\.description)
            + ["(\(unreported) more error\(unreported == 1 ? "" : "s") not shown)"]
    }
}
