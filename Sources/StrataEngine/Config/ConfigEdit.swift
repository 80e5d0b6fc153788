import StrataRuntime

/// How a config change is applied, the same for the CLI and the HTTP API: the changes are
/// merged over the stored config, a change to `null` puts the field back to its default,
/// stored fields the script no longer declares are dropped, and the result is validated as a
/// whole against the schema (every bad field named).
public enum ConfigEdit {
    /// The config to store, or every refused field.
    public static func merge(
        _ changes: [String: JSONValue], into current: [String: JSONValue],
        schema: ConfigSchema
    ) -> Result<[String: JSONValue], ConfigErrors> {
        var merged = current.filter { schema.field($0.key) != nil }
        for (name, value) in changes {
            if case .null = value {
                merged[name] = nil
            } else {
                merged[name] = value
            }
        }
        return schema.validate(merged)
    }
}
