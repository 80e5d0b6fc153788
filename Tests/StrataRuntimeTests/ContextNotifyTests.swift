import Testing

@testable import StrataRuntime

/// `context.notify(text)`: a `notify` line in the log, rate-limited per instance on engine time,
/// bounded in size, refused in `render()`; hostile calls cost the script, never the host.
@Suite struct ContextNotifyTests {
    static let script = #"""
        CONFIG_SCHEMA = {}
        function init() return { results = {} } end
        function on_tick(tick)
          local ok, err = context.notify("price " .. tick.price)
          state.ok, state.err = ok, err
        end
        function render() return { widgets = {} } end
        """#

    @Test func aNotificationIsALogLineOfItsOwnLevelAndReturnsTrue() throws {
        let instance = try makeInstance(Self.script, mode: .observe)
        try instance.tick(tick(101, at: 10))
        #expect(try instance.state("ok") == .boolean(true))
        #expect(instance.log.lines.map(\.level) == [.notify])
        #expect(instance.log.lines.map(\.message) == ["price 101.0"])
        #expect(instance.log.lines.first?.time == 10)
    }

    @Test func tenAMinuteOfEngineTimeThenNilAndAReason() throws {
        // Given ticks one second apart
        let instance = try makeInstance(Self.script)
        for second in 0..<10 { try instance.tick(tick(at: Double(second))) }
        #expect(instance.log.lines.count == 10)

        // When an eleventh comes within the minute, it is refused with a reason
        try instance.tick(tick(at: 10))
        #expect(try instance.state("ok") == nil)
        #expect(try instance.state("err")?.stringValue?.hasPrefix("rate limited: at most 10 notifications per minute; the next in 50 s") == true)
        #expect(instance.log.lines.count == 10)

        // And once the first leaves the window, one more is allowed
        try instance.tick(tick(at: 60))
        #expect(try instance.state("ok") == .boolean(true))
        #expect(instance.log.lines.count == 11)
    }

    @Test func aTightLoopGetsTenAndTheRestAreRefusedCheaply() throws {
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick)
              local sent, refused = 0, 0
              for i = 1, 100000 do
                if context.notify("spam " .. i) then sent = sent + 1 else refused = refused + 1 end
              end
              state.sent, state.refused = sent, refused
            end
            function render() return { widgets = {} } end
            """#)
        try instance.tick(tick())
        #expect(try instance.state("sent") == .integer(10))
        #expect(try instance.state("refused") == .integer(99_990))
        #expect(instance.log.lines.count == 10)
    }

    @Test func aHugeTextIsCutToAThousandBytesOnACharacterBoundary() throws {
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick) state.ok = context.notify(string.rep("é", 4 * 1024 * 1024)) end
            function render() return { widgets = {} } end
            """#)
        try instance.tick(tick())
        #expect(try instance.state("ok") == .boolean(true))
        let message = try #require(instance.log.lines.first?.message)
        #expect(message.utf8.count <= NotifyRateLimit.maxTextBytes)
        #expect(message.hasSuffix("…"))
        #expect(message.dropLast().allSatisfy { $0 == "é" })
    }

    @Test(arguments: [
        ("context.notify(42)", "bad argument #1 to 'notify' (string expected, got number)"),
        ("context.notify()", "bad argument #1 to 'notify' (string expected, got no value)"),
        ("context.notify({})", "bad argument #1 to 'notify' (string expected, got table)"),
        ("context.notify(setmetatable({}, { __tostring = function() return 'x' end }))", "string expected, got table"),
        ("context.notify('')", "bad argument #1 to 'notify' (the text is empty)"),
    ])
    func aBadArgumentRaisesNamingIt(call: String, message: String) throws {
        let instance = try makeInstance(
            """
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick) \(call) end
            function render() return { widgets = {} } end
            """)
        let error = try #require(strategyError { try instance.tick(tick()) })
        #expect(error.message.contains(message), "\(error.message)")
        #expect(instance.log.lines.isEmpty)
    }

    @Test func renderCannotNotifyNorCanTheChunksTopLevel() throws {
        // The render context has no notify; a cached trading context raises in render()
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            local trading = context
            function init() return {} end
            function on_tick(tick) end
            function render()
              assert(context.notify == nil, "render's context has notify")
              trading.notify("from render")
              return { widgets = {} }
            end
            """#)
        let error = try #require(strategyError { _ = try instance.render() })
        #expect(error.message.contains("notify is not allowed in render()"), "\(error.message)")
        #expect(instance.log.lines.isEmpty)

        let loading = strategyError {
            _ = try makeInstance(
                #"""
                CONFIG_SCHEMA = {}
                context.notify("loading")
                function init() return {} end
                function on_tick(tick) end
                function render() return { widgets = {} } end
                """#)
        }
        #expect(loading?.message.contains("notify is not allowed in the chunk's top level") == true)
    }

    @Test func initMayNotifyAndTheContextStaysReadOnly() throws {
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init()
              assert(context.notify("started"))
              assert(not pcall(function() context.notify = function() end end))
              return {}
            end
            function on_tick(tick) end
            function render() return { widgets = {} } end
            """#)
        #expect(instance.log.lines.map(\.message) == ["started"])
    }

    @Test func theLimiterAndTheCut() {
        var limit = NotifyRateLimit()
        for second in 0..<10 { #expect(limit.take(at: Double(second)) == nil) }
        #expect(limit.take(at: 30) == 30)
        // A clock that goes back only makes the limit stricter
        #expect(limit.take(at: -100) != nil)
        #expect(limit.take(at: 70) == nil)
        #expect(NotifyRateLimit.cut("short") == "short")
        #expect(NotifyRateLimit.cut(String(repeating: "a", count: 1001)).utf8.count == 1000)
        #expect(NotifyRateLimit.cut(String(repeating: "€", count: 400)).utf8.count <= 1000)
    }
}
