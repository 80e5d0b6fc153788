import CStrataLua
import LuaBridge

/// `context.notify(text)`: a line in the instance's log of level `notify`, which the engine
/// posts to the webhooks that want `notify` events. Rate-limited per instance
/// (``NotifyRateLimit``); not in `render()` (render is output, read-only) nor at the chunk's
/// top level (a load is not an event).
extension StrategyInstance {
    func notify(_ state: LuaState) -> LuaHostResult {
        let phase = state.phase
        if phase == Int32(STRATA_PHASE_RENDER.rawValue) || phase == Int32(STRATA_PHASE_LOAD.rawValue) {
            return .error("notify is not allowed in \(phase == Int32(STRATA_PHASE_RENDER.rawValue) ? "render()" : "the chunk's top level")")
        }
        // Only the prefix that can be kept is copied, however long the string.
        guard let length = state.stringLength(at: 1), let prefix = state.string(at: 1, maxBytes: NotifyRateLimit.maxTextBytes + 4) else {
            return LuaState.badArgument(1, function: "notify", "string expected, got \(state.type(at: 1).name)")
        }
        if length == 0 { return LuaState.badArgument(1, function: "notify", "the text is empty") }
        if let wait = notifyLimit.take(at: clock) {
            state.pushNil()
            let seconds = Int(wait.rounded(.up))
            state.pushString(
                "rate limited: at most \(NotifyRateLimit.perWindow) notifications per minute; the next in \(max(1, seconds)) s")
            return .values(2)
        }
        let text = length > NotifyRateLimit.maxTextBytes ? NotifyRateLimit.cut(prefix) : prefix
        appendLog(text, level: .notify)
        state.pushBoolean(true)
        return .values(1)
    }
}
