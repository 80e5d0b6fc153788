import Foundation

/// The canary of the live hostile suite: it logs every tick it gets, with the tick's time and
/// its own count in `state`, so the test can show from the stored log that it got every tick
/// the feed produced (the synthetic feed's ticks are exactly 1/rate apart) and each once.
enum Canary {
    static let source = """
        -- The canary: logs every tick (its time and its own count) and renders the count.
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          context.log(string.format("tick %.6f n=%d", tick.ts, state.n))
        end
        function render() return { widgets = { { type = "metric", label = "ticks", value = state.n } } } end
        """

    /// One logged tick.
    struct Line: Equatable {
        var time: Double
        var count: Int
    }

    /// Parses a `tick TS n=N` line.
    static func parse(_ message: String) -> Line? {
        let parts = message.split(separator: " ")
        guard parts.count == 3, parts[0] == "tick", let time = Double(parts[1]), parts[2].hasPrefix("n="),
            let count = Int(parts[2].dropFirst(2))
        else { return nil }
        return Line(time: time, count: count)
    }

    /// What the log says about the ticks the canary got, in log order.
    struct Report: CustomStringConvertible {
        var ticks = 0
        /// Places where one or more ticks are missing (time steps of more than one interval).
        var gaps: [(after: Double, missing: Int)] = []
        /// Ticks logged twice or out of order.
        var repeats = 0
        /// Times the canary's own count started over (a restart through `init()`).
        var restarts = 0

        var description: String {
            "\(ticks) ticks, \(gaps.count) gaps \(gaps.prefix(5)), \(repeats) repeated, \(restarts) restarts"
        }
    }

    static func report(_ lines: [Line], interval: Double) -> Report {
        var report = Report()
        report.ticks = lines.count
        for (previous, line) in zip(lines, lines.dropFirst()) {
            let step = (line.time - previous.time) / interval
            if step < 0.5 {
                report.repeats += 1
            } else if step > 1.5 {
                report.gaps.append((previous.time, Int(step.rounded()) - 1))
            }
            if line.count != previous.count + 1 { report.restarts += 1 }
        }
        return report
    }
}
