import LuaBridge
import Testing

@testable import StrataRuntime

/// Version 1 of a strategy: counts ticks, with a config of two fields.
private let version1 = #"""
    CONFIG_SCHEMA = {
      window = { type = "integer", default = 10, min = 1, max = 100 },
      label  = { type = "string", default = "v1" },
    }
    function init() return { n = 0, inits = (state and state.inits or 0) + 1 } end
    function on_tick(tick) state.n = state.n + 1; state.last = "v1"; state.window = config.window end
    function render() return { widgets = {} } end
    """#

/// Version 2: drops `label`, adds `qty`, and marks its ticks.
private let version2 = #"""
    CONFIG_SCHEMA = {
      window = { type = "integer", default = 10, min = 1, max = 100 },
      qty    = { type = "float", default = 0.5 },
    }
    function init() return { n = 0 } end
    function on_tick(tick) state.n = state.n + 1; state.last = "v2" end
    function render() return { widgets = {} } end
    function on_reload(old_version) state.reloaded_from = old_version end
    """#

@Suite struct ReconfigureTests {
    @Test func withOnConfigStateIsKeptAndTheOldConfigPassed() throws {
        // Given a strategy with on_config that has seen two ticks
        let instance = try makeInstance(
            version1 + #"""

                function on_config(old)
                  state.old_window = old.window
                  state.new_window = config.window
                end
                """#, config: ["window": .integer(5)])
        try instance.tick(tick())
        try instance.tick(tick())
        // When its config changes
        try instance.reconfigure(["window": .integer(20)])
        // Then state is kept, and on_config saw the old and the new config
        #expect(try instance.state("n") == 2)
        #expect(try instance.state("old_window") == 5)
        #expect(try instance.state("new_window") == 20)
        #expect(instance.config["window"] == .integer(20))
        #expect(instance.config["label"] == .string("v1"))
    }

    @Test func theOldConfigPassedToOnConfigIsReadOnly() throws {
        let instance = try makeInstance(version1 + "\nfunction on_config(old) old.window = 1 end")
        let error = try #require(strategyError { try instance.reconfigure(["window": .integer(20)]) })
        #expect(error.phase == .config)
        #expect(error.message.contains("read-only"))
    }

    @Test func withoutOnConfigInitRunsAgain() throws {
        let instance = try makeInstance(version1)
        try instance.tick(tick())
        try instance.reconfigure(["window": .integer(3)])
        #expect(try instance.state("n") == 0)
        #expect(try instance.state("inits") == 2)
        #expect(instance.config["window"] == .integer(3))
    }

    @Test func anInvalidConfigChangesNothingAndNamesEveryBadField() throws {
        // Given an instance with a config and some state
        let instance = try makeInstance(version1, config: ["window": .integer(5)])
        try instance.tick(tick())
        // When a config with two bad fields and an unknown one is applied
        let error = try #require(
            strategyError {
                try instance.reconfigure(["window": .integer(0), "label": .integer(3), "speed": .integer(1)])
            })
        // Then it is refused, naming each field
        #expect(error.kind == .invalidConfig)
        #expect(error.phase == .config)
        #expect(error.fieldErrors.map(\.field) == ["label", "speed", "window"])
        #expect(error.fieldErrors.first { $0.field == "window" }?.message == "must be at least 1")
        // And nothing changed: config, the script's config global, state
        #expect(instance.config == ["window": .integer(5), "label": .string("v1")])
        try instance.tick(tick())
        #expect(try instance.state("window") == 5)
        #expect(try instance.state("n") == 2)
        #expect(try instance.state("inits") == 1)
    }
}

@Suite struct ReloadTests {
    private func reloadScript(_ source: String) -> StrategyScript {
        StrategyScript(name: "test", source: source)
    }

    @Test func aReloadKeepsStateCallsOnReloadAndRecordsTheVersion() throws {
        // Given version 1, ticking
        let instance = try makeInstance(version1, config: ["window": .integer(7), "label": .string("mine")])
        try instance.tick(tick())
        let oldVersion = instance.script.version
        // When version 2 is swapped in
        let next = reloadScript(version2)
        try instance.reload(next)
        try instance.tick(tick())
        // Then state carried over, the new on_tick runs, and on_reload saw the old version
        #expect(try instance.state("n") == 2)
        #expect(try instance.state("last") == "v2")
        #expect(try instance.state("reloaded_from") == .string(oldVersion))
        #expect(instance.script.version == next.version)
        #expect(instance.script.version != oldVersion)
        // And the dropped field is gone, the kept one kept, the new one at its default
        #expect(instance.config == ["window": .integer(7), "qty": .number(0.5)])
    }

    @Test func theScriptSeesTheReloadedConfig() throws {
        let instance = try makeInstance(version1)
        try instance.reload(
            reloadScript(
                version2 + #"""

                    function on_tick(tick) state.qty = config.qty; state.label = config.label end
                    """#))
        try instance.tick(tick())
        #expect(try instance.state("qty") == .number(0.5))
        #expect(try instance.state("label") == nil)
    }

    @Test(arguments: [
        ("syntax error", "function on_tick(tick) state.n = = 1 end", StrategyError.Kind.syntax),
        ("missing on_tick", "on_tick = nil", StrategyError.Kind.missingFunction),
        ("bad schema", #"CONFIG_SCHEMA = { window = { type = "integer" } }"#, StrategyError.Kind.invalidSchema),
        ("error at load", #"error("broken at the top level")"#, StrategyError.Kind.runtime),
    ])
    func aBrokenReloadThrowsAndTheOldVersionKeepsTicking(_ name: String, _ breakage: String, _ kind: StrategyError.Kind) throws {
        // Given version 1, ticking
        let instance = try makeInstance(version1)
        try instance.tick(tick())
        let oldVersion = instance.script.version
        // When a broken version 2 is offered
        let error = try #require(strategyError { try instance.reload(reloadScript(version2 + "\n" + breakage)) })
        // Then the reload is refused with the reason
        #expect(error.kind == kind)
        // And version 1 keeps running, with its state and config
        try instance.tick(tick())
        #expect(try instance.state("last") == "v1")
        #expect(try instance.state("n") == 2)
        #expect(try instance.state("reloaded_from") == nil)
        #expect(instance.script.version == oldVersion)
        #expect(instance.config["label"] == .string("v1"))
    }

    @Test func aReloadWhoseSchemaRefusesAKeptValueLeavesTheOldVersionRunning() throws {
        // Given version 1 running with window = 50
        let instance = try makeInstance(version1, config: ["window": .integer(50)])
        let oldVersion = instance.script.version
        // When version 2 lowers window's max below the running value
        let narrower = version2.replacingOccurrences(of: "max = 100", with: "max = 20")
        let error = strategyError { try instance.reload(reloadScript(narrower)) }
        // Then the reload is refused as a whole: the old version, its hooks and config stay
        #expect(error?.kind == .invalidConfig)
        #expect(instance.script.version == oldVersion)
        try instance.tick(tick())
        #expect(try instance.state("last") == "v1")
    }

    @Test func hooksTheNewVersionDropsAreGone() throws {
        // Given version 1 with on_config, and a state worth keeping
        let instance = try makeInstance(version1 + "\nfunction on_config(old) state.configured = true end")
        try instance.tick(tick())
        // When it is reloaded with version 2, which has no on_config
        try instance.reload(reloadScript(version2))
        // Then a config change runs init again, as for any script without on_config
        try instance.reconfigure(["window": .integer(3)])
        #expect(try instance.state("configured") == nil)
        #expect(try instance.state("n") == 0)
    }
}
