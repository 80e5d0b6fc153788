import CStrataLua
import LuaBridge

/// The runtime of one strategy instance: its own sandboxed Lua state running one script.
///
/// The boundary is narrow on purpose — load (init), tick, render, reconfigure, reload, close
/// (deinit) — so that it can later cross a process boundary for untrusted strategies.
/// Every failure is thrown as a `StrategyError`; nothing a script does can crash the host.
public final class StrategyInstance {
    public let identity: InstanceIdentity
    public let limits: StrategyLimits
    public private(set) var mode: InstanceMode
    public private(set) var script: StrategyScript
    public private(set) var schema: ConfigSchema
    public private(set) var config: [String: JSONValue]
    public internal(set) var log: LogBuffer
    /// Observe-mode intents, most recent last (bounded like the log).
    public internal(set) var signals: [Signal] = []
    /// Ticks `on_tick` handled without an error.
    public var ticksProcessed: Int { progress.ticks }
    public internal(set) var ordersPlaced = 0
    /// The modules `require` has loaded in this state since the script's last (re)load, in order.
    public internal(set) var requiredModules: [String] = []
    public internal(set) var signalsRecorded = 0
    /// When `context.notify` last succeeded (engine time), for its rate limit.
    var notifyLimit = NotifyRateLimit()

    let lua: LuaState
    let broker: Broker
    var hooks: StrategyHooks
    var tradingContext: LuaReference!
    var renderContext: LuaReference!
    /// Engine time: the timestamp of the tick being handled (simulated in backtests).
    public internal(set) var clock: Double {
        get { progress.clock }
        set { progress.clock = newValue }
    }
    var lastPrice: Double? {
        get { progress.lastPrice }
        set { progress.lastPrice = newValue }
    }
    var ordersThisCall: Int {
        get { progress.ordersThisCall }
        set { progress.ordersThisCall = newValue }
    }
    /// What every tick updates, in one stored property: one exclusivity check per update instead
    /// of one per field on the tick hot path.
    var progress = TickProgress()
    /// Set when a saved state was given but not used: it was saved by another version and this
    /// one has no `on_reload`, so `init()` started over (the engine shows why in the status).
    public internal(set) var savedStateSetAside: String?
    /// `limits.tickDeadline` in nanoseconds, computed once (0: no deadline).
    let tickBudget: UInt64

    /// Loads `script`, validates its schema and `config` (fields left out take defaults), and
    /// runs `init()`.
    /// - Parameters:
    ///   - restoring: a saved `state` to start from instead of running `init()` (see
    ///     ``restore(_:)``). One that cannot be restored throws (kind `snapshot`, or the error
    ///     of `on_restore`); the caller decides whether to start over without it.
    ///   - prepare: called with the new state's runtime before the script's chunk runs (a worker
    ///     adds its test-fault function there).
    public convenience init(
        identity: InstanceIdentity, script: StrategyScript, mode: InstanceMode = .observe,
        config: [String: JSONValue] = [:], broker: Broker, limits: StrategyLimits = .standard,
        restoring snapshot: SavedState? = nil, prepare: ((StrategyInstance) -> Void)? = nil
    ) throws(StrategyError) {
        try self.init(
            identity: identity, script: script, mode: mode, config: config, broker: broker, limits: limits, initialize: true,
            restoring: snapshot, prepare: prepare)
    }

    /// `initialize: false` stops after loading and checking the script (for `check`).
    init(
        identity: InstanceIdentity, script: StrategyScript, mode: InstanceMode, config: [String: JSONValue],
        broker: Broker, limits: StrategyLimits, initialize: Bool, restoring snapshot: SavedState? = nil,
        prepare: ((StrategyInstance) -> Void)? = nil
    ) throws(StrategyError) {
        guard script.source.utf8.count <= limits.maxSourceBytes else {
            throw StrategyError(kind: .syntax, phase: .load, message: "script is larger than \(limits.maxSourceBytes) bytes")
        }
        do {
            lua = try LuaState(memoryLimit: limits.memoryBytes)
        } catch {
            throw StrategyError(error, phase: .load)
        }
        self.identity = identity
        self.script = script
        self.mode = mode
        self.broker = broker
        self.limits = limits
        self.tickBudget = LuaState.nanoseconds(limits.tickDeadline)
        self.log = LogBuffer(capacity: limits.logCapacity)
        self.schema = ConfigSchema(fields: [])
        self.config = [:]
        self.hooks = StrategyHooks()
        installContext()
        installRequire(for: script)
        prepare?(self)
        (hooks, schema) = try loadChunk(script)
        guard initialize else { return }
        self.config = try Self.validated(config, against: schema, phase: .`init`)
        setConfigGlobal()
        if let snapshot {
            try restore(snapshot)
        } else {
            try runInit()
        }
    }

    deinit {
        hooks.release(from: lua)
    }

    // MARK: Ticks and rendering

    /// Hands one tick to `on_tick`.
    public func tick(_ tick: Tick) throws(StrategyError) {
        progress.start(tick)
        let onTick = hooks.onTick
        // The phase (tick) is set by the C call itself.
        let failure = tick.withCTick { cTick -> LuaError? in
            do throws(LuaError) {
                try lua.callTick(onTick, cTick, budgetNanoseconds: tickBudget)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw StrategyError(failure, phase: .tick, deadline: limits.tickDeadline) }
        progress.ticks += 1
    }

    /// Starts loading what the next tick of this instance touches first, so that a caller
    /// cycling through many instances can overlap memory loads with another instance's work.
    public func prefetch() { lua.prefetch() }

    /// Calls `render()` now and returns its validated output (`{ "widgets": [...] }`).
    public func render() throws(StrategyError) -> JSONValue {
        lua.push(renderContext)
        lua.setGlobal("context")
        defer {
            lua.push(tradingContext)
            lua.setGlobal("context")
        }
        lua.push(hooks.render)
        try call(.render, arguments: 0, results: 1, deadline: limits.renderDeadline)
        defer { lua.pop() }
        let value: LuaValue
        do {
            value = try lua.value(at: -1)
        } catch {
            throw StrategyError(kind: .invalidRender, phase: .render, message: "render() output cannot be shown: \(error.message)")
        }
        return try RenderOutput.validate(JSONValue(value), arrayCap: limits.renderArrayCap)
    }

    // MARK: Mode, config, reload

    /// Switches what the instance may do, in place: `state` is kept and nothing is re-run.
    public func setMode(_ mode: InstanceMode) {
        self.mode = mode
    }

    /// Applies a new config: `on_config(old_config)` if the script defines it (state kept),
    /// else `init()` again.
    /// - Throws: `invalid_config` naming every bad field (nothing changes), or the hook's error.
    public func reconfigure(_ newConfig: [String: JSONValue]) throws(StrategyError) {
        let validConfig = try Self.validated(newConfig, against: schema, phase: .config)
        let oldConfig = config
        config = validConfig
        setConfigGlobal()
        guard let onConfig = hooks.onConfig else { return try runInit() }
        lua.push(onConfig)
        pushReadOnly(oldConfig)
        try call(.config, arguments: 1, results: 0, deadline: limits.loadDeadline)
    }

    /// Swaps in a new version of the script between ticks, keeping `state`. The new version is
    /// compiled and checked in a scratch state first: if it is broken, nothing changes here.
    /// Config fields the new schema dropped are dropped; new fields take their defaults.
    public func reload(_ newScript: StrategyScript) throws(StrategyError) {
        // Everything that can refuse the new version runs before the live state is touched.
        let newSchema = try StrategyInstance.check(newScript, identity: identity, limits: limits)
        let kept = config.filter { newSchema.field($0.key) != nil }
        let newConfig = try Self.validated(kept, against: newSchema, phase: .reload)
        // A hook the new version no longer defines must not survive from the old one.
        for name in ["CONFIG_SCHEMA"] + StrategyHooks.required + StrategyHooks.optional {
            lua.pushNil()
            lua.setGlobal(name)
        }
        installRequire(for: newScript)  // the new version's modules, from an empty cache
        let (newHooks, _) = try loadChunk(newScript)
        let oldVersion = script.version
        hooks.release(from: lua)
        hooks = newHooks
        lua.prepareTick(hooks.onTick)
        schema = newSchema
        script = newScript
        config = newConfig
        setConfigGlobal()
        guard let onReload = hooks.onReload else { return }
        lua.push(onReload)
        lua.pushString(oldVersion)
        try call(.reload, arguments: 1, results: 0, deadline: limits.loadDeadline)
    }

    /// Loads `script` in a scratch state and checks its shape and schema without running `init`.
    /// - Returns: the script's config schema.
    public static func check(_ script: StrategyScript, identity: InstanceIdentity, limits: StrategyLimits = .standard) throws(StrategyError) -> ConfigSchema {
        try prepare(script, identity: identity, limits: limits).schema
    }

    /// Checks `script` as ``check(_:identity:limits:)`` does, and keeps in it only the modules
    /// its load required: given every module of the folder, it returns the version to run.
    public static func prepare(
        _ script: StrategyScript, identity: InstanceIdentity, limits: StrategyLimits = .standard
    ) throws(StrategyError) -> (script: StrategyScript, schema: ConfigSchema) {
        let scratch = try StrategyInstance(
            identity: identity, script: script, mode: .observe, config: [:],
            broker: PaperBroker(), limits: limits, initialize: false)
        return (script.keepingModules(scratch.requiredModules), scratch.schema)
    }

    // MARK: Resource use

    /// Bytes the instance's Lua state has allocated.
    public var memoryUsed: Int { lua.memoryUsed }
    /// The most bytes it has had allocated at once.
    public var memoryPeak: Int { lua.memoryPeak }

    // MARK: Calls

    /// Runs the function below `arguments` values, protected, in `phase`.
    func call(_ phase: StrategyError.Phase, arguments: Int32, results: Int32, deadline: Duration) throws(StrategyError) {
        lua.phase = phase.luaPhase
        ordersThisCall = 0
        defer { lua.phase = Int32(STRATA_PHASE_IDLE.rawValue) }
        do {
            try lua.call(arguments: arguments, results: results, deadline: deadline == .zero ? nil : deadline)
        } catch {
            throw StrategyError(error, phase: phase, deadline: deadline)
        }
    }

    func runInit() throws(StrategyError) {
        lua.push(hooks.initialize)
        try call(.`init`, arguments: 0, results: 1, deadline: limits.loadDeadline)
        switch lua.type(at: -1) {
        case .table: break
        case .nil:
            lua.pop()
            lua.pushTable()
        case let other:
            lua.pop()
            throw StrategyError(kind: .runtime, phase: .`init`, message: "init() must return a table (the initial state), got \(other.name)")
        }
        lua.setGlobal("state")
        lua.prepareTick(hooks.onTick)  // after `state` exists: it is one of what a tick touches
    }

    private func setConfigGlobal() {
        pushReadOnly(config)
        lua.setGlobal("config")
    }

    // stack: [] -> [read-only copy of values]
    private func pushReadOnly(_ values: [String: JSONValue]) {
        lua.pushReadOnly(LuaValue.table(values.mapValues(LuaValue.init)))  // read-only at every depth
    }

    static func validated(_ config: [String: JSONValue], against schema: ConfigSchema, phase: StrategyError.Phase) throws(StrategyError) -> [String: JSONValue]
    {
        switch schema.validate(config) {
        case .success(let valid): return valid
        case .failure(let failure):
            let errors = failure.fields
            let list = errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            throw StrategyError(kind: .invalidConfig, phase: phase, message: "invalid config: \(list)", fieldErrors: errors)
        }
    }
}

/// The per-tick bookkeeping of an instance.
struct TickProgress {
    var clock: Double = 0
    var lastPrice: Double?
    var ordersThisCall = 0
    var ticks = 0
    /// The journal sequence of the tick being handled (0: not journaled).
    var seq: Int64 = 0

    mutating func start(_ tick: Tick) {
        clock = tick.ts
        seq = tick.seq
        lastPrice = tick.price
        ordersThisCall = 0
    }
}

extension StrategyError.Phase {
    var luaPhase: Int32 {
        switch self {
        case .load: return Int32(STRATA_PHASE_LOAD.rawValue)
        case .`init`: return Int32(STRATA_PHASE_INIT.rawValue)
        case .tick: return Int32(STRATA_PHASE_TICK.rawValue)
        case .render: return Int32(STRATA_PHASE_RENDER.rawValue)
        case .config: return Int32(STRATA_PHASE_CONFIG.rawValue)
        case .reload: return Int32(STRATA_PHASE_RELOAD.rawValue)
        // on_save only reads: no trading, as in render().
        case .save: return Int32(STRATA_PHASE_RENDER.rawValue)
        }
    }
}
