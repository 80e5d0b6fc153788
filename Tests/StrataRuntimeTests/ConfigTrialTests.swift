import Testing

@testable import StrataRuntime

/// A config is tried on a scratch copy of the instance before it is stored: every way a script
/// can refuse a config that passes its schema is caught there, with the script's error.
@Suite struct ConfigTrialTests {
    /// `lo` must stay below `hi` (checked by init and on_config); `div` is divided by on every
    /// tick; `spin` makes on_tick loop forever; `hog` makes it allocate without end.
    static let picky = StrategyScript(
        name: "picky",
        source: """
            CONFIG_SCHEMA = {
              lo = { type = "integer", default = 1 }, hi = { type = "integer", default = 10 },
              div = { type = "float", default = 2 }, spin = { type = "boolean", default = false },
              hog = { type = "boolean", default = false },
            }
            local function check() if config.lo >= config.hi then error("lo must be below hi") end end
            function init() check() return { n = 0 } end
            function on_config(old) check() end
            function on_tick(tick)
              state.n = state.n + 1
              if config.div == 0 then error("cannot divide by zero") end
              while config.spin do end
              if config.hog then local t = {} for i = 1, math.maxinteger do t[i] = {} end end
            end
            function render() return { widgets = {} } end
            """)

    static let identity = InstanceIdentity(id: "p-1", strategyType: "picky", account: "paper", market: "BTC/USD")
    static let limits: StrategyLimits = {
        var limits = StrategyLimits()
        limits.memoryBytes = 8 << 20
        return limits
    }()

    /// Tries `proposed` (numbers become integers, `div` a float, `spin`/`hog` booleans).
    func trial(current: [String: Double]?, proposed: [String: Double], mode: InstanceMode = .active) -> StrategyError? {
        func config(_ values: [String: Double]) -> [String: JSONValue] {
            Dictionary(
                uniqueKeysWithValues: values.map { key, value in
                    switch key {
                    case "div": (key, JSONValue.number(value))
                    case "spin", "hog": (key, JSONValue.bool(value != 0))
                    default: (key, JSONValue.integer(Int64(value)))
                    }
                })
        }
        return ConfigTrial(
            script: Self.picky, identity: Self.identity, mode: mode, current: current.map(config), proposed: config(proposed), limits: Self.limits
        ).run()
    }

    @Test func aConfigTheScriptTakesPasses() {
        #expect(trial(current: nil, proposed: ["lo": 2, "hi": 3]) == nil)
        #expect(trial(current: ["lo": 1], proposed: ["lo": 5]) == nil)
        #expect(trial(current: ["lo": 1], proposed: ["lo": 5], mode: .off) == nil)
    }

    @Test func initRefusingANewInstancesConfigIsTheError() throws {
        let error = try #require(trial(current: nil, proposed: ["lo": 10, "hi": 3]))
        #expect(error.phase == StrategyError.Phase.`init`)
        #expect(error.message.contains("lo must be below hi"))
        #expect(error.traceback?.contains("stack traceback") == true)
        #expect(error.trialSummary.hasPrefix("the script fails with this config (runtime in init)"))
    }

    @Test func onConfigRefusingAChangeIsTheError() throws {
        let error = try #require(trial(current: ["lo": 1, "hi": 10], proposed: ["lo": 20, "hi": 10]))
        #expect(error.phase == .config)
        #expect(error.message.contains("lo must be below hi"))
    }

    @Test func aTickFailingAfterTheChangeIsTheError() throws {
        let error = try #require(trial(current: [:], proposed: ["div": 0]))
        #expect(error.phase == .tick)
        #expect(error.message.contains("cannot divide by zero"))
    }

    @Test func limitsHoldDuringTheTrial() throws {
        let loop = try #require(trial(current: [:], proposed: ["spin": 1]))
        #expect(loop.kind == .cpuLimit)
        let memory = try #require(trial(current: nil, proposed: ["hog": 1]))
        #expect(memory.kind == .memoryLimit)
    }

    @Test func aStoredConfigThatNoLongerLoadsDoesNotBlockAFix() {
        // The instance is in error with lo >= hi; the fix is tried on a fresh load.
        #expect(trial(current: ["lo": 10, "hi": 3], proposed: ["lo": 1, "hi": 3]) == nil)
    }
}
