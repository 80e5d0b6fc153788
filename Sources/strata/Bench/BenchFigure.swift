import Foundation
import StrataRuntime

/// One scenario's result: Strata's figure, the C baseline's figure for the same work, and
/// their ratio, plus whatever else explains the figure (percentiles, counts, second figures).
struct BenchFigure {
    var name: String
    var value: Double
    var unit: String
    /// The C program's figure in the same unit, nil when there is no C equivalent.
    var baseline: Double?
    /// How many times Strata's cost the baseline's cost is (see `ratioMeans`).
    var ratio: Double?
    /// Set when the ratio is not simply value / baseline (throughput units).
    var ratioMeans: String?
    var extras: [String: JSONValue] = [:]
    /// The readable line's note (after the figures).
    var note = ""

    /// A cost figure (lower is better): ratio = value / baseline.
    init(name: String, value: Double, unit: String, baseline: Double?, extras: [String: JSONValue] = [:], note: String = "") {
        self.name = name
        self.value = value
        self.unit = unit
        self.baseline = baseline
        self.ratio = baseline.map { value / $0 }
        self.extras = extras
        self.note = note
    }

    /// A throughput figure (higher is better): ratio = baseline / value, so that it still reads
    /// "how many times the baseline's cost Strata's cost is".
    init(name: String, rate: Double, unit: String, baselineRate: Double, extras: [String: JSONValue] = [:], note: String = "") {
        self.init(name: name, value: rate, unit: unit, baseline: baselineRate, extras: extras, note: note)
        ratio = baselineRate / rate
        ratioMeans = "Strata's cost per unit of work / the baseline's (baseline rate ÷ Strata rate)"
    }

    var json: JSONValue {
        var object = extras
        object["name"] = .string(name)
        object["value"] = .number(Self.rounded(value))
        object["unit"] = .string(unit)
        object["baseline"] = baseline.map { .number(Self.rounded($0)) } ?? .null
        object["ratio"] = ratio.map { .number(Self.rounded($0, digits: 3)) } ?? .null
        if let ratioMeans { object["ratio_means"] = .string(ratioMeans) }
        return .object(object)
    }

    /// One row of the readable table.
    var row: String {
        let base = baseline.map { Self.format($0) } ?? "—"
        let times = ratio.map { String(format: "%.3f×", $0) } ?? "—"
        return Self.pad(name, 20) + Self.pad(Self.format(value), 14, right: true) + "  " + Self.pad(unit, 34)
            + Self.pad(base, 14, right: true) + Self.pad(times, 10, right: true) + "  " + note
    }

    static let header =
        pad("scenario", 20) + pad("strata", 14, right: true) + "  " + pad("unit", 34)
        + pad("C baseline", 14, right: true) + pad("ratio", 10, right: true) + "  notes"

    /// Four significant digits or two decimals, whichever keeps more.
    static func rounded(_ x: Double, digits: Int = 2) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let magnitude = Int(floor(log10(abs(x))))
        let decimals = max(digits, 3 - magnitude)
        let scale = pow(10, Double(min(decimals, 12)))
        return (x * scale).rounded() / scale
    }

    static func format(_ x: Double) -> String {
        abs(x) >= 10_000
            ? String(format: "%.0f", x)
            : abs(x) >= 100
                ? String(format: "%.1f", x)
                : abs(x) >= 1 ? String(format: "%.2f", x) : String(format: "%.4f", x)
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}

/// Nanoseconds in a duration.
func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

/// Bytes this process has resident (from /proc/self/statm), 0 when unknown.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
