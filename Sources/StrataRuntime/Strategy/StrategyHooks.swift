import LuaBridge

/// The script's functions, kept as registry references so calls need no lookup by name.
struct StrategyHooks {
    static let required = ["init", "on_tick", "render"]
    static let optional = ["on_config", "on_reload", "on_save", "on_restore"]

    /// Stored, not looked up by name: `onTick` is read on every tick.
    private(set) var initialize = LuaReference.none
    private(set) var onTick = LuaReference.none
    private(set) var render = LuaReference.none
    private(set) var onConfig: LuaReference?
    private(set) var onReload: LuaReference?
    private(set) var onSave: LuaReference?
    private(set) var onRestore: LuaReference?

    mutating func set(_ name: String, _ reference: LuaReference) {
        switch name {
        case "init": initialize = reference
        case "on_tick": onTick = reference
        case "render": render = reference
        case "on_config": onConfig = reference
        case "on_reload": onReload = reference
        case "on_save": onSave = reference
        case "on_restore": onRestore = reference
        default: preconditionFailure("unknown hook \(name)")
        }
    }

    func release(from state: LuaState) {
        for reference in [initialize, onTick, render, onConfig, onReload, onSave, onRestore].compactMap({ $0 }) where reference != .none {
            state.release(reference)
        }
    }
}

extension StrategyInstance {
    /// Runs the script's chunk and collects its hooks and schema, from the table the chunk
    /// returned if it returned one, else from its globals.
    func loadChunk(_ script: StrategyScript) throws(StrategyError) -> (StrategyHooks, ConfigSchema) {
        do {
            if let chunk = script.compiled.chunk {
                try lua.load(chunk, chunkName: script.chunkName)
            } else {
                // The first load of this version parses it here, in the sandbox and under the
                // cap, and keeps the compiled form for every later instance.
                try lua.load(script.source, chunkName: script.chunkName)
                if let chunk = lua.dumpFunction() { script.compiled.keep(chunk) }
            }
        } catch {
            throw StrategyError(error, phase: .load)
        }
        try call(.load, arguments: 0, results: 1, deadline: limits.loadDeadline)
        defer { lua.pop() }  // stack: [module?]
        let fromModule = lua.type(at: -1) == .table
        // stack: [module?] -> [module?, value]
        func pushDefinition(_ name: String) -> LuaType {
            fromModule ? lua.pushRawField(name, ofTableAt: -1) : lua.pushGlobal(name)
        }

        guard pushDefinition("CONFIG_SCHEMA") != .nil else {
            lua.pop()
            throw StrategyError(
                kind: .invalidSchema, phase: .load, message: "CONFIG_SCHEMA is missing: define it (an empty table {} if the strategy takes no config)")
        }
        let schema: ConfigSchema
        do {
            schema = try ConfigSchema(parsing: try lua.value(at: -1, limits: LuaReadLimits(maxDepth: 4, maxValues: 10_000)))
            lua.pop()
        } catch let problem as SchemaProblem {
            lua.pop()
            throw StrategyError(kind: .invalidSchema, phase: .load, message: problem.description)
        } catch {
            lua.pop()
            throw StrategyError(kind: .invalidSchema, phase: .load, message: "CONFIG_SCHEMA: \(error)")
        }

        var hooks = StrategyHooks()
        for name in StrategyHooks.required + StrategyHooks.optional {
            let type = pushDefinition(name)
            if type == .function {
                hooks.set(name, lua.popReference())
                continue
            }
            lua.pop()
            if type == .nil && StrategyHooks.optional.contains(name) { continue }
            hooks.release(from: lua)
            let found = type == .nil ? "it is missing" : "got a \(type.name)"
            throw StrategyError(kind: .missingFunction, phase: .load, message: "\(name) must be a function: \(found)")
        }
        return (hooks, schema)
    }
}
