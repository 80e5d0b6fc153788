import CStrataLua
import Foundation
import LuaBridge

/// The `context` a script sees (DESIGN §4). One trading context per instance whose calls consult
/// the instance's mode at call time, so a switch between observe and active happens in place
/// (a script that cached `context` follows it); and one read-only context for `render()`, which
/// has no trading functions at all. Both tables are write-protected.
extension StrategyInstance {
    /// The context functions that only read.
    static let readingFunctions = ["get_price", "get_orders", "get_position", "get_balance", "get_pnl", "now", "log"]
    /// The context functions that act: trade or notify (absent from the render context).
    static let tradingFunctions = ["place_order", "cancel_order", "notify"]
    /// Longer than any id the broker makes: such an id is refused unread.
    static let maxOrderIDBytes = 128

    func installContext() {
        lua.pushHostFunction { [unowned self] state in self.printToLog(state, level: .info) }
        lua.setGlobal("print")
        lua.pushHostFunction { [unowned self] state in self.printToLog(state, level: .warning) }
        lua.setGlobal("warn")
        // One read-only identity table, shared by both contexts.
        lua.push(
            LuaValue.table([
                "id": .string(identity.id), "strategy_type": .string(identity.strategyType),
                "account": .string(identity.account), "market": .string(identity.market),
            ]))  // stack: [identity]
        lua.pushReadOnly(of: -1)  // stack: [identity, proxy]
        lua.remove(at: -2)  // stack: [proxy]
        tradingContext = makeContext(functions: Self.readingFunctions + Self.tradingFunctions)
        renderContext = makeContext(functions: Self.readingFunctions)
        lua.pop()  // stack: []
        lua.push(tradingContext)
        lua.setGlobal("context")
    }

    // stack: [identity] -> [identity] (the context lives in the registry)
    private func makeContext(functions: [String]) -> LuaReference {
        lua.pushTable(fieldCount: Int32(functions.count + 1))  // stack: [identity, ctx]
        for name in functions {
            lua.pushHostFunction { [unowned self] state in self.contextFunction(name, state) }
            lua.setRawField(name, ofTableAt: -2)
        }
        lua.pushValue(at: -2)  // stack: [identity, ctx, identity]
        lua.setRawField("identity", ofTableAt: -2)  // stack: [identity, ctx]
        lua.pushReadOnly(of: -1)  // stack: [identity, ctx, proxy]
        lua.remove(at: -2)
        return lua.popReference()  // stack: [identity]
    }

    private func contextFunction(_ name: String, _ state: LuaState) -> LuaHostResult {
        switch name {
        case "get_price":
            if let lastPrice { state.pushNumber(lastPrice) } else { state.pushNil() }
            return .values(1)
        case "now":
            state.pushNumber(clock)
            return .values(1)
        case "get_position":
            state.pushNumber(broker.position(for: identity))
            return .values(1)
        case "get_pnl":
            state.pushNumber(broker.pnl(for: identity, price: lastPrice))
            return .values(1)
        case "get_balance":
            guard let asset = state.string(at: 1) else {
                return LuaState.badArgument(1, function: name, "string expected, got \(state.type(at: 1).name)")
            }
            state.pushNumber(broker.balance(of: asset, for: identity))
            return .values(1)
        case "get_orders":
            let orders = broker.openOrders(for: identity)
            state.push(LuaValue.array(orders.map(\.luaValue)))
            return .values(1)
        case "log":
            appendLog(LogText.describe(state, at: 1, maxBytes: LogBuffer.maxLineLength + 1), level: .info)
            return .values(0)
        case "place_order":
            return placeOrder(state)
        case "cancel_order":
            return cancelOrder(state)
        case "notify":
            return notify(state)
        default:
            return .error("unknown context function '\(name)'")
        }
    }

    private func placeOrder(_ state: LuaState) -> LuaHostResult {
        let phase = state.phase
        if phase == Int32(STRATA_PHASE_RENDER.rawValue) || phase == Int32(STRATA_PHASE_LOAD.rawValue) {
            return .error("place_order is not allowed in \(phase == Int32(STRATA_PHASE_RENDER.rawValue) ? "render()" : "the chunk's top level")")
        }
        var request: OrderRequest
        switch OrderRequest.parse(state, at: 1) {
        case .success(let parsed): request = parsed
        case .failure(let problem): return LuaState.badArgument(1, function: "place_order", problem.reason)
        }
        request.tickSeq = progress.seq == 0 ? nil : progress.seq
        ordersThisCall += 1
        if ordersThisCall > limits.ordersPerCall {
            return .error("too many orders in one call (limit \(limits.ordersPerCall))")
        }
        if mode != .active {
            recordSignal(Signal(instanceID: identity.id, request: request, time: clock, price: lastPrice))
            state.pushNil()
            state.pushString("not allowed: observe mode")
            return .values(2)
        }
        switch broker.placeOrder(request, for: identity, price: lastPrice, time: clock) {
        case .success(let order):
            ordersPlaced += 1
            state.push(order.luaValue)
            return .values(1)
        case .failure(let rejection):
            if rejection.rule != nil {
                recordSignal(Signal(instanceID: identity.id, request: request, time: clock, price: lastPrice, reason: rejection.reason, rule: rejection.rule))
            }
            state.pushNil()
            state.pushString(rejection.reason)
            return .values(2)
        }
    }

    private func cancelOrder(_ state: LuaState) -> LuaHostResult {
        if state.phase == Int32(STRATA_PHASE_RENDER.rawValue) { return .error("cancel_order is not allowed in render()") }
        guard let length = state.stringLength(at: 1) else {
            return LuaState.badArgument(1, function: "cancel_order", "order id (string) expected, got \(state.type(at: 1).name)")
        }
        // No order has such an id: answered without copying it, and never echoed in full (what
        // the host pushes back is bounded at the source).
        if length > Self.maxOrderIDBytes {
            state.pushNil()
            state.pushString("no open order with an id of \(length) bytes")
            return .values(2)
        }
        let id = state.string(at: 1) ?? ""
        if mode != .active {
            state.pushNil()
            state.pushString("not allowed: observe mode")
            return .values(2)
        }
        switch broker.cancelOrder(id: id, for: identity) {
        case .success:
            state.pushBoolean(true)
            return .values(1)
        case .failure(let rejection):
            state.pushNil()
            state.pushString(rejection.reason)
            return .values(2)
        }
    }

    private func printToLog(_ state: LuaState, level: LogLine.Level) -> LuaHostResult {
        // Each argument is cut before joining, and the joining stops at the longest line the log
        // keeps: a call with many huge arguments copies at most one line's worth.
        let count = state.top
        let separator = level == .info ? "\t" : ""
        var text = ""
        var room = LogBuffer.maxLineLength + 1
        var index: Int32 = 1
        while index <= count, room > 0 {
            if index > 1 { text += separator }
            let part = LogText.describe(state, at: index, maxBytes: room)
            text += part
            room -= part.utf8.count + separator.utf8.count
            index += 1
        }
        // warn("@on") and warn("@off") are Lua's control messages, not text.
        if level == .warning, text.hasPrefix("@") { return .values(0) }
        appendLog(text, level: level)
        return .values(0)
    }

    func appendLog(_ message: String, level: LogLine.Level) {
        log.append(LogLine(time: clock, level: level, message: message))
    }

    func recordSignal(_ signal: Signal) {
        signalsRecorded += 1
        if signals.count >= 2 * limits.logCapacity { signals.removeFirst(signals.count - limits.logCapacity) }
        signals.append(signal)
    }
}

/// How values are written into the log: like `tostring`, but without running metamethods.
enum LogText {
    static func describe(_ state: LuaState, at index: Int32, maxBytes: Int = LogBuffer.maxLineLength + 1) -> String {
        switch state.type(at: index) {
        case .string: return state.string(at: index, maxBytes: maxBytes) ?? ""
        case .number, .boolean:
            switch try? state.value(at: index) {
            case .string(let s): return s
            case .integer(let i): return String(i)
            case .number(let d): return format(d)
            case .boolean(let b): return b ? "true" : "false"
            default: return "?"
            }
        case .nil, .none: return "nil"
        case let other: return other.name
        }
    }

    /// Lua's own formatting of floats ("%.14g", integral floats as "3.0").
    static func format(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        let text = String(format: "%.14g", number)
        return text.contains(where: { ".en".contains($0) }) ? text : text + ".0"
    }
}
