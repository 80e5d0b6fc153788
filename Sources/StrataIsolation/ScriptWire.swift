import StrataRuntime

/// The modules of a script on the wire to a worker: `"modules": {name: source}` and
/// `"module_folder"` beside a request's `name`, `source` and `chunk_name`. A worker gets the
/// sources it may `require` this way and never reads the modules folder itself.
extension StrategyScript {
    /// The wire fields of the script's modules.
    public var moduleWire: [String: JSONValue] {
        ["modules": .object(modules.mapValues(JSONValue.string)), "module_folder": .string(moduleFolder)]
    }

    /// This script with the modules named in a request `body` (none when it names none).
    public func withModules(from body: JSONValue) -> StrategyScript {
        var copy = self
        copy.modules = body["modules"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        copy.moduleFolder = body["module_folder"]?.stringValue ?? moduleFolder
        return copy
    }
}
