import CStrataLua

/// What a host function returns: how many values it pushed, or an error to raise in the script.
public enum LuaHostResult {
    /// The function pushed this many results.
    case values(Int32)
    /// Raise this message as a Lua error at the caller's position (C raises it, never Swift).
    case error(String)
}

/// A function implemented in Swift and callable from Lua. It reads its arguments from the
/// stack (1...`state.top`) with the non-raising accessors and pushes its results.
public typealias LuaHostFunction = (LuaState) -> LuaHostResult

extension LuaState {
    /// Pushes a Lua function that runs `function`. The state keeps `function` alive.
    // stack: [] -> [function]
    public func pushHostFunction(_ function: @escaping LuaHostFunction) {
        hostFunctions.append(function)
        let context = Unmanaged.passUnretained(self).toOpaque()
        strata_pushhostfunction(L, luaHostDispatch, context, Int32(hostFunctions.count - 1))
    }

    /// The error message in Lua's style for a bad argument:
    /// "bad argument #1 to 'place_order' (number expected, got nil)".
    public static func badArgument(_ position: Int, function: String, _ problem: String) -> LuaHostResult {
        .error("bad argument #\(position) to '\(function)' (\(problem))")
    }
}

/// The C entry point of every host function: finds the Swift closure and runs it. It returns a
/// sentinel for errors, and C raises them; no Lua error ever unwinds through this frame.
func luaHostDispatch(_ L: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ id: Int32) -> Int32 {
    guard let context, let L else { return 0 }
    let state = Unmanaged<LuaState>.fromOpaque(context).takeUnretainedValue()
    // The caller may be a coroutine: arguments and results live on its stack, not the main one.
    let mainThread = state.L
    state.L = L
    defer { state.L = mainThread }
    switch state.hostFunctions[Int(id)](state) {
    case .values(let count):
        return count
    case .error(let message):
        state.pushString(message)
        return STRATA_HOST_ERROR
    }
}
