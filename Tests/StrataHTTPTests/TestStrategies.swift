/// The Lua scripts the API tests run: one with every config field type and widgets, one whose
/// render fails, one that does not load.
enum TestStrategies {
    /// Every CONFIG_SCHEMA field type; logs and places an order every fifth tick; widgets show
    /// the tick count and the `note` field.
    static let widgets = """
        CONFIG_SCHEMA = {
          window = { type = "integer", default = 5, min = 2, max = 50, label = "Window", description = "Ticks in the average" },
          qty = { type = "float", default = 0.5, min = 0.001, max = 10 },
          enabled = { type = "boolean", default = true, label = "Trade" },
          side = { type = "enum", values = { "both", "long" }, default = "both" },
          note = { type = "string", default = "hello" },
        }
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          if state.n % 5 == 1 then
            context.log("tick " .. state.n)
            if config.enabled then context.place_order{ side = "buy", qty = config.qty } end
          end
        end
        function render()
          return { widgets = {
            { type = "metric", label = "ticks", value = state.n },
            { type = "text", title = "Note", text = config.note },
          } }
        end
        """

    /// Runs, but its render() raises.
    static let brokenRender = """
        CONFIG_SCHEMA = {}
        function init() return {} end
        function on_tick(tick) end
        function render() error("render exploded") end
        """

    /// Does not compile.
    static let syntaxError = """
        CONFIG_SCHEMA = {
        function init(
        """
}
