import CStrataLua

/// Where `require` finds a module's source: the source, or why there is none.
public typealias LuaModuleSource = (String) -> Result<String, LuaModuleMissing>

/// Why `require` found no module of a name (its message names the module and where it looked).
public struct LuaModuleMissing: Error, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}

extension LuaState {
    /// Installs `require` (see `strata_openrequire`) over `source`, with an empty cache; `root`
    /// starts the chain of requires its messages show (the strategy's name).
    public func installRequire(root: String, source: @escaping LuaModuleSource) {
        let fetch: LuaHostFunction = { state in
            guard let name = state.string(at: 1) else { return .values(0) }
            switch source(name) {
            case .success(let text):
                state.pushString(text)
                return .values(1)
            case .failure(let missing):
                state.pushNil()
                state.pushString(missing.message)
                return .values(2)
            }
        }
        // A reinstall (each hot reload) replaces the function in its slot: the old one, and the
        // module sources it holds, are let go instead of piling up.
        if let slot = requireSource {
            hostFunctions[slot] = fetch
            let context = Unmanaged.passUnretained(self).toOpaque()
            strata_pushhostfunction(L, luaHostDispatch, context, Int32(slot))
        } else {
            requireSource = hostFunctions.count
            pushHostFunction(fetch)
        }  // stack: [fetch]
        strata_openrequire(L, root)  // stack: []
    }
}
