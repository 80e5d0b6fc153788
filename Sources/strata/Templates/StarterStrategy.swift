/// The script that `strata new NAME` writes: a minimal but complete strategy, commented for a
/// quant who has not written one before.
enum StarterStrategy {
    /// Returns the starter script.
    /// - Parameter name: The strategy type, as in `strategies-lua/NAME.lua`; it only appears in the
    ///   header comment.
    static func source(name: String) -> String {
        // A line break in the name would end the Lua comment and turn the rest into code.
        let title = name.split(whereSeparator: \.isNewline).joined(separator: " ")
        return #"""
            -- \#(title) — a Strata strategy.
            --
            -- Created by `strata new`. A strategy is a plain Lua 5.4 file run in a sandbox: the base
            -- functions (without dofile, loadfile, require), string, table, math, utf8, coroutine and
            -- ta (indicators in C: ta.sma, ta.ema, ta.rsi, ...); no io, os, debug or package, and no
            -- wall clock (use context.now()).
            --
            -- The engine injects three globals:
            --   context  what the strategy may do: place_order, get_position, get_pnl, now, log, ...
            --   config   the validated values of CONFIG_SCHEMA below (read-only)
            --   state    what init() returned; mutate it, never replace it
            -- Keep everything that must last in `state`, as plain tables of numbers, strings and
            -- booleans, and `ta` indicator objects: it survives hot reloads and restarts, while
            -- file-level locals are created afresh.
            --
            -- The example: hold a position while the price is on one side of its exponential moving
            -- average (EMA), and go flat when it crosses back. Replace it with your own idea.

            -- The config form in the dashboard and the validation of every config change both come
            -- from this table. One field of each type; `default` is required, the rest is optional.
            CONFIG_SCHEMA = {
              period = { type = "integer", default = 20, min = 2, max = 1000, label = "EMA period",
                         description = "Ticks of smoothing: longer is slower but trades less noise" },
              qty    = { type = "float", default = 1, min = 1e-8, max = 1e9, label = "Quantity",
                         description = "Position size, base units" },
              trade  = { type = "boolean", default = true, label = "Send orders",
                         description = "Off: compute and chart the signal without placing orders" },
              tag    = { type = "string", default = "starter", label = "Order tag",
                         description = "Attached to every order, to find them in the order list" },
              side   = { type = "enum", values = { "long", "short" }, default = "long", label = "Direction",
                         description = "long: long above the EMA, flat below; short: short below, flat above" },
            }

            local HISTORY = 100 -- chart points kept in state; bound everything that grows with ticks

            -- Appends to a list and drops the oldest entries beyond HISTORY. Fine at this size; for
            -- long windows use a ring buffer (see strategies-lua/sma_cross.lua).
            local function remember(list, item)
              list[#list + 1] = item
              if #list > HISTORY then table.remove(list, 1) end
            end

            -- Called on load, and again on a config change unless on_config (below) is defined.
            function init()
              return {
                ema = ta.ema(config.period), -- update(price) returns the average, nil while warming up
                -- above: was the price above the EMA at the last tick? absent until known
                prices = {}, emas = {},   -- {t = unix seconds, v = value} points for the chart
                orders = 0,
              }
            end

            ---@param tick Tick
            function on_tick(tick)
              local price = tick.price
              -- The EMA (weight 2 / (period + 1), started from the mean of the first `period`
              -- prices) is computed in C; see types/ta.lua for every indicator.
              local ema = state.ema:update(price)
              remember(state.prices, { t = tick.ts, v = price })
              if ema == nil then return end -- still warming up
              remember(state.emas, { t = tick.ts, v = ema })

              -- Act when the price crosses the EMA, not on every tick it stays on one side.
              local above = price > ema
              local was = state.above
              state.above = above
              if was == nil or was == above then return end

              local target = 0
              if above and config.side == "long" then target = config.qty end
              if not above and config.side == "short" then target = -config.qty end
              -- Size the order from the broker's position, so a missed or partial fill self-corrects.
              local delta = target - context.get_position()
              if not config.trade or math.abs(delta) < config.qty * 1e-6 then return end

              local order, err = context.place_order{
                side = delta > 0 and "buy" or "sell",
                qty = math.abs(delta),
                type = "market",
                tag = config.tag ~= "" and config.tag or nil,
              }
              if order then
                state.orders = state.orders + 1
                context.log(string.format("%s %g at %.6g: %s", order.side, order.qty, price, tostring(order.status)))
              else
                -- A refused order is a normal outcome, returned as nil, err like any failed Lua call:
                -- in observe mode err is "not allowed: observe mode". Log it and carry on; raising an
                -- error here would stop the instance.
                context.log("order refused: " .. tostring(err))
              end
            end

            -- The runtime UI: called only when someone looks at the instance, with a context that
            -- can read but not trade. Return plain data; see types/strata.lua for every widget.
            function render()
              return { widgets = {
                { type = "metric", label = "Position", value = context.get_position(), unit = "base units" },
                { type = "metric", label = "PnL", value = context.get_pnl() },
                { type = "metric", label = "Orders sent", value = state.orders },
                { type = "line_chart", title = "Price and EMA", y_label = "price", series = {
                  { name = "price", data = state.prices },
                  { name = "EMA " .. config.period, data = state.emas },
                } },
              } }
            end

            -- Optional hooks. Uncomment to use them.

            -- on_config(old_config): if defined, a config change keeps `state` and calls this, with
            -- the new values already in `config`; if not, a config change runs init() again and the
            -- state starts over. Define it when the state stays meaningful under the new config.
            -- function on_config(old_config)
            --   if old_config.period ~= config.period then
            --     state.ema = ta.ema(config.period)
            --     context.log("period changed: the EMA warms up again")
            --   end
            -- end

            -- on_reload(old_version): called after this file is saved while the instance runs and the
            -- new version is swapped in; `state` is kept. Use it to migrate state that the old
            -- version (old_version is its content hash) did not have.
            -- function on_reload(old_version)
            --   state.orders = state.orders or 0
            --   context.log("reloaded; previous version " .. old_version)
            -- end
            """#
    }
}
