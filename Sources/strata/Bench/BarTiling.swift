import Foundation
import StrataRuntime

/// Writes a long OHLCV file by tiling a short one, exactly as `tools/peers/bench_peers.py
/// --write-csv` does (byte for byte, so both benchmarks can share the file): tile k covers the
/// source's hours shifted by k × (span + one step); even tiles are the source as it is, odd
/// tiles the source reversed with Open and Close swapped, so prices stay continuous and in
/// range; every price is the source's own text.
enum BarTiling {
    /// Writes `count` bars to `path` (through a temporary file renamed into place).
    static func write(source: String, count: Int, to path: String) throws {
        let bars = try BarCSVReader.read(path: source)
        guard let text = try? String(contentsOfFile: source, encoding: .utf8) else { throw UsageError("cannot read \(source)") }
        let lines = text.split(whereSeparator: \.isNewline)
        guard let header = lines.first else { throw UsageError("\(source) is empty") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let columns = try ["open", "high", "low", "close"].map { name in
            guard let index = names.firstIndex(of: name) else { throw UsageError("\(source) has no \(name) column") }
            return index
        }
        let volumeColumn = names.firstIndex(of: "volume")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        guard rows.count == bars.count, bars.count >= 2, rows.allSatisfy({ $0.count == names.count }) else {
            throw UsageError("\(source): need at least 2 rows of bars, each with every column")
        }
        // fields[j][i]: open, high, low, close, volume text of row i.
        let volumes: [Substring] = rows.map { row in volumeColumn.map { row[$0] } ?? "0" }
        let fields: [[Substring]] = columns.map { c in rows.map { $0[c] } } + [volumes]
        let times = bars.map { Int64($0.time.rounded()) }
        let step = mostCommonStep(times)
        let period = times[times.count - 1] - times[0] + step
        let n = bars.count
        let temporary = "\(path).\(getpid()).part"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let file = FileHandle(forWritingAtPath: temporary) else {
            throw UsageError("cannot write \(temporary)")
        }
        defer { try? file.close() }
        var buffer = ",Open,High,Low,Close,Volume\n"
        for index in 0..<count {
            let tile = index / n
            let i = index % n
            let time = times[i] + Int64(tile) * period
            buffer += stamp(time)
            if tile % 2 == 0 {
                for j in 0..<5 {
                    buffer += ","
                    buffer += fields[j][i]
                }
            } else {
                let r = n - 1 - i  // reversed, open <-> close
                for j in [3, 1, 2, 0, 4] {
                    buffer += ","
                    buffer += fields[j][r]
                }
            }
            buffer += "\n"
            if buffer.utf8.count > 1 << 20 {
                file.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        file.write(Data(buffer.utf8))
        try file.close()
        guard rename(temporary, path) == 0 else { throw UsageError("cannot rename \(temporary) to \(path)") }
    }

    /// The most common spacing of consecutive times (the smallest one on a tie, as numpy's
    /// unique + argmax picks).
    private static func mostCommonStep(_ times: [Int64]) -> Int64 {
        var counts: [Int64: Int] = [:]
        for (a, b) in zip(times, times.dropFirst()) { counts[b - a, default: 0] += 1 }
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
    }

    /// "YYYY-MM-DD HH:MM:SS" (UTC).
    private static func stamp(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let (year, month, day) = UTCTime.civil(fromDays: days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(second / 3600)):\(two(second % 3600 / 60)):\(two(second % 60))"
    }
}
