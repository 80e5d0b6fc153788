import Foundation
import Testing

@testable import StrataRuntime

/// Bar data the way people keep it: gzip-compressed files, and folders of daily files read as
/// one series.
@Suite struct BarFolderAndGzipTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bars-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A day of `count` hourly bars starting at `day` (days since 1970).
    static func day(_ day: Int, count: Int = 3) -> String {
        "time,open,high,low,close,volume\n"
            + (0..<count).map { hour in
                let price = 100 + Double(day) + Double(hour) / 10
                return "\(day * 86_400 + hour * 3_600),\(price),\(price + 1),\(price - 1),\(price),10"
            }.joined(separator: "\n") + "\n"
    }

    func write(_ text: String, _ name: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Compresses `name` in place with the system's gzip (`name.gz`).
    func gzip(_ name: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", folder.appendingPathComponent(name).path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func aGzipFileReadsAsItsContents() throws {
        try write(Self.day(19_700), "bars.csv")
        let plain = try BarCSVReader.read(path: folder.appendingPathComponent("bars.csv").path)
        try gzip("bars.csv")
        let inflated = try BarCSVReader.read(path: folder.appendingPathComponent("bars.csv.gz").path)
        #expect(inflated == plain && inflated.count == 3)
    }

    @Test func aFolderOfDailyFilesIsOneSeriesInNameOrder() throws {
        try write(Self.day(19_702), "2023-12-08.csv")
        try write(Self.day(19_700), "2023-12-06.csv")
        try write(Self.day(19_701), "2023-12-07.csv")
        try gzip("2023-12-07.csv")
        try write("not bars", "README.txt")
        try write("time,open\n", ".hidden.csv")
        let bars = try BarCSVReader.read(path: folder.path)
        #expect(bars.count == 9)
        #expect(zip(bars, bars.dropFirst()).allSatisfy { $0.time < $1.time })
        #expect(bars.first?.time == Double(19_700 * 86_400))
    }

    @Test func overlappingFilesAreRefusedNamingBoth() throws {
        try write(Self.day(19_700), "a.csv")
        try write(Self.day(19_700), "b.csv")
        let error = #expect(throws: BarFileError.self) { try BarCSVReader.read(path: folder.path) }
        #expect(error?.path.hasSuffix("b.csv") == true)
        #expect(error?.message.contains("a.csv") == true && error?.message.contains("must not overlap") == true)
    }

    @Test func anEmptyFolderAndBrokenGzipSayWhat() throws {
        let empty = #expect(throws: BarFileError.self) { try BarCSVReader.read(path: folder.path) }
        #expect(empty?.message.contains("no .csv or .csv.gz files") == true)

        try write(Self.day(19_700, count: 200), "cut.csv")
        try gzip("cut.csv")
        let path = folder.appendingPathComponent("cut.csv.gz").path
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        let cut = #expect(throws: BarFileError.self) { try BarCSVReader.read(path: path) }
        #expect(cut?.message.contains("cut short") == true, "\(String(describing: cut))")

        var corrupt = [UInt8](whole)
        for index in 12..<min(40, corrupt.count) { corrupt[index] ^= 0x5a }
        try Data(corrupt).write(to: URL(fileURLWithPath: path))
        let broken = #expect(throws: BarFileError.self) { try BarCSVReader.read(path: path) }
        #expect(broken?.message.contains("cannot decompress") == true, "\(String(describing: broken))")
    }
}
