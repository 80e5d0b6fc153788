import Foundation

/// A static time-series chart drawn as inline SVG for the backtest report: gridlines with a few
/// labelled ticks, lines, areas and trade markers. The view box is 1000 units wide and the page
/// scales it to its width; coordinates are rounded to 0.1 unit so long series stay small.
struct SVGChart {
    static let width = 1000.0
    let height: Double
    /// The plot area's margins: room for the value labels on the left and the dates below.
    let left = 78.0, right = 14.0, top = 12.0, bottom = 26.0
    let times: ClosedRange<Double>
    let values: ClosedRange<Double>
    private(set) var body = ""

    init(height: Double, times: ClosedRange<Double>, values: ClosedRange<Double>) {
        self.height = height
        self.times = times
        self.values = values
    }

    /// The horizontal position of a time, clamped to the plot.
    func x(_ time: Double) -> Double {
        let span = times.upperBound - times.lowerBound
        let share = span > 0 ? (time - times.lowerBound) / span : 0.5
        return left + Self.clamped(share) * (Self.width - left - right)
    }

    /// The vertical position of a value, clamped to the plot.
    func y(_ value: Double) -> Double {
        let span = values.upperBound - values.lowerBound
        let share = span > 0 ? (values.upperBound - value) / span : 0.5
        return top + Self.clamped(share) * (height - top - bottom)
    }

    /// A share of the plot kept within it; the middle when it is not a number (an infinite span).
    private static func clamped(_ share: Double) -> Double {
        share.isNaN ? 0.5 : min(max(share, 0), 1)
    }

    /// Gridlines and labels: values on the left (`label` formats them), dates below, a frame.
    mutating func axes(label: (_ value: Double, _ step: Double) -> String) {
        let plotRight = Self.width - right
        let plotBottom = height - bottom
        let (ticks, step) = Self.valueTicks(values)
        for value in ticks {
            let y = Self.coordinate(self.y(value))
            body += "<line class=\"grid\" x1=\"\(Self.coordinate(left))\" x2=\"\(Self.coordinate(plotRight))\" y1=\"\(y)\" y2=\"\(y)\"/>"
            body += "<text x=\"\(Self.coordinate(left - 6))\" y=\"\(y)\" dy=\"4\" text-anchor=\"end\">\(label(value, step))</text>"
        }
        for (time, text) in Self.timeTicks(times) {
            let x = Self.coordinate(self.x(time))
            body += "<line class=\"grid\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(Self.coordinate(top))\" y2=\"\(Self.coordinate(plotBottom))\"/>"
            body += "<text x=\"\(x)\" y=\"\(Self.coordinate(plotBottom + 17))\" text-anchor=\"middle\">\(text)</text>"
        }
        body +=
            "<rect class=\"frame\" x=\"\(Self.coordinate(left))\" y=\"\(Self.coordinate(top))\" "
            + "width=\"\(Self.coordinate(plotRight - left))\" height=\"\(Self.coordinate(plotBottom - top))\"/>"
    }

    /// A line through `points` (time, value), in order.
    mutating func line(_ points: [(Double, Double)], class name: String) {
        guard !points.isEmpty else { return }
        body += "<polyline class=\"\(name)\" points=\"\(pointList(points))\"/>"
    }

    /// The area between `points` and the value `baseline`.
    mutating func area(_ points: [(Double, Double)], baseline: Double, class name: String) {
        guard let first = points.first, let last = points.last else { return }
        let closing = [(last.0, baseline), (first.0, baseline)]
        body += "<polygon class=\"\(name)\" points=\"\(pointList(points + closing))\"/>"
    }

    /// A dashed horizontal rule at `value`.
    mutating func rule(at value: Double, class name: String) {
        let y = Self.coordinate(self.y(value))
        body += "<line class=\"\(name)\" x1=\"\(Self.coordinate(left))\" x2=\"\(Self.coordinate(Self.width - right))\" y1=\"\(y)\" y2=\"\(y)\"/>"
    }

    /// Triangles whose tip touches each (time, value): ▲ below the point when `pointingUp`,
    /// ▼ above it otherwise. Markers within 3 units of one drawn already are left out, and at
    /// most `limit` are drawn (evenly chosen): thousands of trades would only paint the plot over.
    /// - Returns: how many markers were drawn.
    @discardableResult
    mutating func markers(_ points: [(Double, Double)], pointingUp: Bool, class name: String, limit: Int = 1_000) -> Int {
        var seen = Set<Int>()
        var unique: [(Double, Double)] = []
        for (time, value) in points where value.isFinite {
            let x = self.x(time)
            let y = self.y(value)
            if seen.insert(Int(x / 3) << 16 | Int(y / 3)).inserted { unique.append((x, y)) }
        }
        guard !unique.isEmpty else { return 0 }
        let stride = max(1, (unique.count + limit - 1) / limit)
        let shape = pointingUp ? "l5,9h-10z" : "l5,-9h-10z"
        var path = ""
        var drawn = 0
        for index in Swift.stride(from: 0, to: unique.count, by: stride) {
            path += "M\(Self.coordinate(unique[index].0)),\(Self.coordinate(unique[index].1))\(shape)"
            drawn += 1
        }
        body += "<path class=\"\(name)\" d=\"\(path)\"/>"
        return drawn
    }

    /// The finished `<svg>` element; `label` names it for screen readers (plain text, no markup).
    func svg(label: String) -> String {
        "<svg viewBox=\"0 0 \(Self.coordinate(Self.width)) \(Self.coordinate(height))\" role=\"img\" aria-label=\"\(label)\">\(body)</svg>\n"
    }

    /// An SVG of the same size saying there is nothing to draw.
    static func empty(height: Double, message: String) -> String {
        "<svg viewBox=\"0 0 \(coordinate(width)) \(coordinate(height))\" role=\"img\" aria-label=\"\(message)\">"
            + "<text x=\"\(coordinate(width / 2))\" y=\"\(coordinate(height / 2))\" text-anchor=\"middle\">\(message)</text></svg>\n"
    }

    private func pointList(_ points: [(Double, Double)]) -> String {
        var text = ""
        text.reserveCapacity(points.count * 12)
        for (time, value) in points {
            if !text.isEmpty { text += " " }
            text += Self.coordinate(x(time))
            text += ","
            text += Self.coordinate(y(value))
        }
        return text
    }

    /// A coordinate to 0.1 unit, without a trailing ".0" (written by hand: it runs for every point).
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let magnitude = tenths.magnitude
        let sign = tenths < 0 ? "-" : ""
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}

extension SVGChart {
    /// The series (time, value) cut to at most about `2 × buckets + 2` points: the first and last
    /// points, and each bucket's lowest and highest value in their original order, so a spike
    /// stays visible however long the series. Non-finite values are left out.
    static func downsample(times: [Double], values: [Double], buckets: Int = 1_000) -> [(Double, Double)] {
        let count = min(times.count, values.count)
        var picked: [(Double, Double)] = []
        picked.reserveCapacity(min(count, 2 * buckets + 2))
        var last = -1
        func pick(_ index: Int) {
            guard index > last, values[index].isFinite else { return }
            picked.append((times[index], values[index]))
            last = index
        }
        guard count > 2 * buckets + 2 else {
            for index in 0..<count { pick(index) }
            return picked
        }
        pick(0)
        for bucket in 0..<buckets {
            var low = -1
            var high = -1
            for index in (bucket * count / buckets)..<((bucket + 1) * count / buckets) where values[index].isFinite {
                if low < 0 || values[index] < values[low] { low = index }
                if high < 0 || values[index] > values[high] { high = index }
            }
            guard low >= 0 else { continue }
            pick(min(low, high))
            pick(max(low, high))
        }
        pick(count - 1)
        return picked
    }

    /// The smallest range holding every finite value, widened by `padding` of its span on each
    /// side (and to a non-empty range when all values are equal).
    static func domain<S: Sequence<Double>>(_ values: S, padding: Double = 0.05) -> ClosedRange<Double> {
        var low = Double.infinity
        var high = -Double.infinity
        for value in values where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        guard low <= high else { return 0...1 }
        guard high > low else {
            let pad = max(abs(low) * 0.01, 1e-9)
            return (low - pad)...(high + pad)
        }
        let pad = (high - low) * padding
        guard pad.isFinite else { return low...high }
        return (low - pad)...(high + pad)
    }

    /// About `target` round values (1, 2 or 5 × a power of ten apart) inside `range`, and their step.
    static func valueTicks(_ range: ClosedRange<Double>, target: Double = 5) -> ([Double], Double) {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return ([range.lowerBound], 1) }
        let raw = span / target
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let step = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * magnitude
        let first = (range.lowerBound / step).rounded(.up)
        let last = (range.upperBound / step).rounded(.down)
        guard first <= last, last - first < 50 else { return ([], step) }
        return (Swift.stride(from: first, through: last, by: 1).map { $0 * step }, step)
    }

    /// Steps of a time axis up to a week, in seconds; longer spans go by calendar months.
    private static let secondSteps: [Double] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
        10800, 21600, 43200, 86400, 172_800, 604_800,
    ]
    private static let monthSteps = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000]

    /// About `target` round UTC times inside `range`, each with its label: clock times, dates,
    /// months or years, whichever the span calls for.
    static func timeTicks(_ range: ClosedRange<Double>, target: Double = 7) -> [(Double, String)] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [] }
        if let step = secondSteps.first(where: { span / $0 <= target }) {
            var ticks: [(Double, String)] = []
            var time = (range.lowerBound / step).rounded(.up) * step
            while time <= range.upperBound {
                let text = UTCTime.iso8601(time)
                let label =
                    step >= 86400
                    ? String(text.prefix(10))
                    : step < 60
                        ? String(text.dropFirst(11).prefix(8))
                        : span <= 86400
                            ? String(text.dropFirst(11).prefix(5))
                            : String(text.dropFirst(5).prefix(5)) + " " + String(text.dropFirst(11).prefix(5))
                ticks.append((time, label))
                time += step
            }
            return ticks
        }
        let months = monthSteps.first { span / (Double($0) * 2_629_746) <= target } ?? monthSteps.last!
        let days = Int64((range.lowerBound / 86400).rounded(.down))
        let (year, month, _) = UTCTime.civil(fromDays: days)
        var index = Int(year * 12 + month - 1)
        index = (index + months - 1) / months * months  // the first boundary from the start's month on
        var ticks: [(Double, String)] = []
        while ticks.count < 50 {
            let time = Double(UTCTime.days(fromYear: Int64(index / 12), month: Int64(index % 12 + 1), day: 1)) * 86400
            if time > range.upperBound { break }
            if time >= range.lowerBound {
                ticks.append((time, String(UTCTime.iso8601(time).prefix(months >= 12 ? 4 : 7))))
            }
            index += months
        }
        return ticks
    }
}

extension UTCTime {
    /// Days since 1970-01-01 of a date of the proleptic Gregorian calendar: the inverse of `civil`.
    static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
