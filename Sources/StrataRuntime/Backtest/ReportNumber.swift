/// Numbers as the report writes them: fixed decimals, thousands grouped, no locale, the same text
/// on every machine.
enum ReportNumber {
    /// `value` with exactly `decimals` decimals ("1,234.50"); "-" only when something is left
    /// after rounding.
    static func fixed(_ value: Double, decimals: Int, grouped: Bool = true) -> String {
        guard value.isFinite else { return value.isNaN ? "–" : value > 0 ? "∞" : "-∞" }
        let decimals = min(max(decimals, 0), 9)
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let units = UInt64(scaled)
        var digits = String(units / scale)
        if grouped {
            var index = digits.endIndex
            while digits.distance(from: digits.startIndex, to: index) > 3 {
                index = digits.index(index, offsetBy: -3)
                digits.insert(",", at: index)
            }
        }
        if decimals > 0 {
            let fraction = String(units % scale)
            digits += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (value < 0 && units > 0 ? "-" : "") + digits
    }

    /// Prices and amounts: decimals by magnitude (2 from 1,000 up, 3 from 100, 5 from 1, else 6),
    /// trailing zeros dropped down to 2, so "43,000.12", "123.456", "1.08345", "0.000123".
    static func amount(_ value: Double) -> String {
        let magnitude = abs(value)
        let decimals = magnitude >= 1000 ? 2 : magnitude >= 100 ? 3 : magnitude >= 1 ? 5 : 6
        return trimmed(fixed(value, decimals: decimals), keeping: 2)
    }

    /// A quantity: up to 6 decimals, none when whole.
    static func quantity(_ value: Double) -> String {
        trimmed(fixed(value, decimals: 6), keeping: 0)
    }

    /// A percentage with 2 decimals, or 2 significant digits when smaller ("0.000071 %"): one
    /// unit traded on a large account must not read as 0.00 %.
    static func percent(_ value: Double) -> String {
        var decimals = 2
        var magnitude = abs(value)
        while magnitude > 0, magnitude < 0.1, decimals < 8 {
            magnitude *= 10
            decimals += 1
        }
        return fixed(value, decimals: decimals) + " %"
    }

    static func integer(_ value: Int) -> String {
        fixed(Double(value), decimals: 0)
    }

    /// An axis label: as many decimals as the tick step needs.
    static func tick(_ value: Double, step: Double) -> String {
        var decimals = 0
        var scaled = step
        while scaled < 0.999_999, scaled > 0, decimals < 9 {
            scaled *= 10
            decimals += 1
        }
        return fixed(value, decimals: decimals)
    }

    private static func trimmed(_ text: String, keeping minimum: Int) -> String {
        guard let point = text.firstIndex(of: ".") else { return text }
        var text = text
        while text.last == "0", text.distance(from: point, to: text.endIndex) > minimum + 1 { text.removeLast() }
        if text.last == "." { text.removeLast() }
        return text
    }
}
