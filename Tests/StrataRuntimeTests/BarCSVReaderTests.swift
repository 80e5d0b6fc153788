import Foundation
import Testing

@testable import StrataRuntime

/// The repository's sample files in `data/`, found from this file's path.
private let sharedData = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // StrataRuntimeTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // the repository
    .appendingPathComponent("data")

/// A fresh folder for the CSV files a test writes.
private func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("strata-csv-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Writes `bytes` to a file named `name` in a temporary folder and reads it back as bars.
private func readFile(_ bytes: [UInt8], named name: String = "bars.csv") throws -> [Bar] {
    let file = try temporaryFolder().appendingPathComponent(name)
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
    return try BarCSVReader.read(path: file.path)
}

private func readFile(_ text: String, named name: String = "bars.csv") throws -> [Bar] {
    try readFile(Array(text.utf8), named: name)
}

/// The error parsing `text` (as the file `bad.csv`) throws, or nil if it parses.
private func parseError(_ text: String) -> BarFileError? {
    do {
        _ = try BarCSVReader.parse(Array(text.utf8), source: "bad.csv")
        return nil
    } catch {
        return error
    }
}

/// 2017-04-19 09:00:00 UTC.
private let april19At9: Double = 1_492_592_400

@Suite struct BarCSVReaderSharedFileTests {
    @Test func readsGOOG() throws {
        let bars = try BarCSVReader.read(path: sharedData.appendingPathComponent("GOOG.csv").path)
        #expect(bars.count == 2148)
        #expect(
            bars.first
                == Bar(
                    time: 1_092_873_600, open: 100, high: 104.06, low: 95.96, close: 100.34,
                    volume: 22_351_900))  // 2004-08-19
        #expect(
            bars.last
                == Bar(
                    time: 1_362_096_000, open: 797.8, high: 807.14, low: 796.15, close: 806.19,
                    volume: 2_175_400))  // 2013-03-01
        // Line 1001 of the file: 2008-08-07,482,484,476.41,479.12,2773800
        #expect(
            bars[999]
                == Bar(
                    time: 1_218_067_200, open: 482, high: 484, low: 476.41, close: 479.12,
                    volume: 2_773_800))
    }

    @Test func readsEURUSD() throws {
        let bars = try BarCSVReader.read(path: sharedData.appendingPathComponent("EURUSD.csv").path)
        #expect(bars.count == 5000)
        #expect(
            bars.first
                == Bar(
                    time: april19At9, open: 1.0716, high: 1.0722, low: 1.07083, close: 1.07219,
                    volume: 1413))
        #expect(bars.last?.time == 1_518_015_600)  // 2018-02-07 15:00:00
        #expect(bars.last?.close == 1.22904)
        // Line 2501: 2017-09-12 12:00:00,1.19323,1.19424,1.1928,1.19299,4306
        #expect(
            bars[2499]
                == Bar(
                    time: 1_505_217_600, open: 1.19323, high: 1.19424, low: 1.1928, close: 1.19299,
                    volume: 4306))
        #expect(zip(bars, bars.dropFirst()).allSatisfy { $0.time < $1.time })
    }

    @Test func readsBTCUSD() throws {
        let bars = try BarCSVReader.read(path: sharedData.appendingPathComponent("BTCUSD.csv").path)
        #expect(bars.count == 156)
        #expect(
            bars.first
                == Bar(
                    time: 1_327_968_000, open: 4.58, high: 7.38, low: 3.8, close: 5.55,
                    volume: 2012.25343589))  // 2012-01-31
        #expect(
            bars.last
                == Bar(
                    time: 1_735_603_200, open: 96515, high: 108_364, low: 92092, close: 93381,
                    volume: 25342.80228337))  // 2024-12-31
    }

    @Test func aBarBecomesATick() {
        let bar = Bar(time: april19At9, open: 1, high: 3, low: 0.5, close: 2, volume: 7)
        #expect(
            bar.tick(market: "EUR/USD")
                == Tick(market: "EUR/USD", ts: april19At9, price: 2, volume: 7, open: 1, high: 3, low: 0.5))
    }
}

@Suite struct BarCSVReaderVariantTests {
    @Test func namedTimeColumnsInAnyCaseAndOrder() throws {
        for name in ["time", "Timestamp", "DATE", "Datetime", "t"] {
            let bars = try readFile("Close,\(name),LOW,High,open,Volume\n2,2017-04-19T09:00:00Z,1,3,1.5,10\n")
            #expect(bars == [Bar(time: april19At9, open: 1.5, high: 3, low: 1, close: 2, volume: 10)], "\(name)")
        }
    }

    @Test func singleLetterNames() throws {
        let bars = try readFile("t,o,h,l,c,v\n1492592400,1.5,3,1,2,10\n")
        #expect(bars == [Bar(time: april19At9, open: 1.5, high: 3, low: 1, close: 2, volume: 10)])
    }

    @Test func otherColumnsAreIgnored() throws {
        // Given a Yahoo-style file with an adjusted close and an unnamed pandas index before it
        let csv = ",Date,Open,High,Low,Close,Adj Close,Volume\n0,2004-08-19,100,104.06,95.96,100.34,50.1,22351900\n"
        let bars = try readFile(csv)
        #expect(
            bars == [
                Bar(
                    time: 1_092_873_600, open: 100, high: 104.06, low: 95.96, close: 100.34,
                    volume: 22_351_900)
            ])
    }

    @Test func volumeIsOptional() throws {
        let bars = try readFile("time,open,high,low,close\n2004-08-19,1,2,0.5,1.5\n2004-08-20,1,2,0.5,1.5\n")
        #expect(bars.map(\.volume) == [0, 0])
        // An empty volume field counts as no volume, too.
        #expect(try readFile("time,open,high,low,close,volume\n2004-08-19,1,2,0.5,1.5,\n")[0].volume == 0)
    }

    @Test func timesInEveryForm() throws {
        let forms: [(String, Double)] = [
            ("2017-04-19", 1_492_560_000),
            ("2017-04-19 09:00", april19At9),
            ("2017-04-19 09:00:00", april19At9),
            ("2017-04-19T09:00:00", april19At9),
            ("2017-04-19t09:00:00z", april19At9),
            ("2017-04-19T09:00:00.250Z", april19At9 + 0.25),
            ("\"2017-04-19 09:00:00,5\"", april19At9 + 0.5),
            ("2017-04-19T11:00:00+02:00", april19At9),
            ("2017-04-19T03:30:00-0530", april19At9),
            ("2017-04-19T10:00:00+01", april19At9),
            ("2017-04-19 09:00:00+00:00", april19At9),
            ("1492592400", april19At9),
            ("1492592400.5", april19At9 + 0.5),
            ("1492592400000", april19At9),
            ("1492592400250", april19At9 + 0.25),
            ("1492592400000000", april19At9),
            ("1492592400000000000", april19At9),
            ("2000-02-29", 951_782_400),
            ("1969-12-31", -86_400),
            ("1900-03-01", -2_203_891_200),
        ]
        for (text, expected) in forms {
            let bars = try readFile("time,open,high,low,close\n\(text),1,1,1,1\n")
            #expect(bars.first?.time == expected, "\(text)")
        }
    }

    @Test func daysFromCivilMatchesTheCalendar() {
        // Every day from 1900 to 2100 follows the one before it.
        var expected = BarTimestampParser.daysFromCivil(year: 1900, month: 1, day: 1)
        #expect(expected == -25_567)
        for year in 1900...2100 {
            for month in 1...12 {
                for day in 1...BarTimestampParser.daysInMonth(month, year: year) {
                    #expect(BarTimestampParser.daysFromCivil(year: year, month: month, day: day) == expected)
                    expected += 1
                }
            }
        }
    }

    @Test func byteOrderMarkCRLFAndBlankLines() throws {
        let text = "\r\n,Open,High,Low,Close,Volume\r\n2004-08-19,1,2,0.5,1.5,10\r\n\r\n2004-08-20,1,2,0.5,1.5,11\r\n\r\n  \r\n"
        let bars = try readFile([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(bars.map(\.volume) == [10, 11])
        // Old Mac line ends (CR alone) and a last line without a line end
        #expect(try readFile("time,open,high,low,close\r2004-08-19,1,2,0.5,1.5\r2004-08-20,1,2,0.5,1.5").count == 2)
    }

    @Test func quotedFields() throws {
        // Given quoted names and values, and an ignored note holding a delimiter, a quote and a line end
        let csv = """
            "Date","Note","Open","High","Low","Close"
            "2004-08-19","a, ""quoted""
            note", "1" ,"2","0.5","1.5"
            "2004-08-20","",1,2,0.5,1.5

            """
        let bars = try readFile(csv)
        #expect(
            bars == [
                Bar(time: 1_092_873_600, open: 1, high: 2, low: 0.5, close: 1.5),
                Bar(time: 1_092_960_000, open: 1, high: 2, low: 0.5, close: 1.5),
            ])
    }

    @Test func semicolonsAndTabsAsDelimiters() throws {
        let semicolons = try readFile("time;open;high;low;close;volume\n2004-08-19;1;2;0.5;1.5;10\n")
        #expect(semicolons == [Bar(time: 1_092_873_600, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10)])
        let tabs = try readFile("time\topen\thigh\tlow\tclose\n2004-08-19\t1\t2\t0.5\t1.5\n")
        #expect(tabs == [Bar(time: 1_092_873_600, open: 1, high: 2, low: 0.5, close: 1.5)])
    }

    @Test func numbersInEveryForm() throws {
        let csv = "time,open,high,low,close,volume\n1,+1.5,1.5e1,.5,15.,0\n2, 1 ,2,1,2 ,1E+3\n"
        let bars = try readFile(csv)
        #expect(bars[0] == Bar(time: 1, open: 1.5, high: 15, low: 0.5, close: 15, volume: 0))
        #expect(bars[1] == Bar(time: 2, open: 1, high: 2, low: 1, close: 2, volume: 1000))
    }

    @Test func numbersRoundExactlyAsStrtodDoes() {
        var generator = SystemRandomNumberGenerator()
        var texts = [
            "0.1", "1.07219", "0.30000000000000004", "9007199254740993", "123456789012345678901234567890",
            "2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308", "1e23", "8.41e21",
            "0.000000000000000000000000000001", "1e-400", "-0", "00000000000000000000000001.5",
        ]
        for _ in 0..<100_000 {
            let digits =
                (String(UInt64.random(in: 0...UInt64.max, using: &generator))
                + String(UInt64.random(in: 0...UInt64.max, using: &generator))).prefix(Int.random(in: 1...30))
            let point = Int.random(in: 0...digits.count)
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if Bool.random() { text += "e\(Int.random(in: -330...330))" }
            texts.append(text)
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer {
                DecimalNumberParser.parse($0.baseAddress!, from: 0, to: $0.count)
            }
            #expect(parsed?.bitPattern == strtod(text, nil).bitPattern, "\(text)")
        }
    }
}

@Suite struct BarCSVReaderBadFileTests {
    @Test func aBadNumberNamesTheLineAndColumn() {
        let error = parseError(",Open,High,Low,Close,Volume\n2004-08-19,1,2,0.5,1.5,1\n2004-08-20,1,2,0.5,abc,1\n")
        #expect(error == BarFileError(path: "bad.csv", line: 3, column: "Close", message: "expected a number, got \"abc\""))
        #expect(error?.description == "bad.csv:3: column 'Close': expected a number, got \"abc\"")
    }

    @Test func nonFiniteAndMissingValues() {
        let header = "time,OPEN,high,low,close,volume\n"
        #expect(
            parseError(header + "1,NaN,2,0.5,1.5,1\n")?.message
                == "expected a finite number, got \"NaN\": fill in the missing value or drop the row")
        #expect(parseError(header + "1,1,inf,0.5,1.5,1\n")?.column == "high")
        #expect(parseError(header + "1,1,2,0.5,1.5,1e999\n")?.message == "1e999 is too large: expected a finite number")
        let empty = parseError(header + "1,,2,0.5,1.5,1\n")
        #expect(empty?.line == 2)
        #expect(empty?.column == "OPEN")
        #expect(empty?.message == "expected a number, got an empty field: every row needs its open, high, low and close")
    }

    @Test func aNegativeVolume() {
        let error = parseError("time,open,high,low,close,Vol\n1,1,2,0.5,1.5,1\n\n2,1,2,0.5,1.5,-3\n")
        #expect(error?.line == 4)
        #expect(error?.column == "Vol")
        #expect(error?.message == "volume -3 is negative: a volume is 0 or more")
    }

    @Test func pricesOutsideTheBarsRange() {
        let header = "time,open,high,low,close\n"
        let highBelowLow = parseError(header + "1,1,2,0.5,1.5\n2,1,0.5,2,1\n")
        #expect(highBelowLow?.line == 3)
        #expect(highBelowLow?.column == "high")
        #expect(highBelowLow?.message.hasPrefix("high 0.5 is below low 2 (column 'low')") == true)
        let openAbove = parseError(header + "1,2.5,2,0.5,1.5\n")
        #expect(
            openAbove?.description
                == "bad.csv:2: column 'open': open 2.5 is outside the bar's range, low 0.5 to high 2: fix the open, or the high or low")
        #expect(parseError(header + "1,1,2,0.5,0.4\n")?.column == "close")
        #expect(parseError(header + "1,1,2,0.5,1.5\n") == nil)
        #expect(parseError(header + "1,2,2,2,2\n") == nil)
    }

    @Test func timesOutOfOrderNameBothLines() {
        let header = ",Open,High,Low,Close\n"
        let repeated = parseError(header + "2017-04-19,1,1,1,1\n2017-04-20,1,1,1,1\n2017-04-20,1,1,1,1\n")
        #expect(repeated?.line == 4)
        #expect(repeated?.column == "")
        #expect(
            repeated?.description == "bad.csv:4: the unnamed time column: time \"2017-04-20\" is not after "
                + "\"2017-04-20\" on line 3: rows must be in increasing time order, each time once; sort the file by "
                + "time and drop repeated rows")
        let newestFirst = parseError(header + "2017-04-20,1,1,1,1\n2017-04-19,1,1,1,1\n")
        #expect(newestFirst?.line == 3)
        #expect(newestFirst?.message.hasSuffix("(this file seems to list the newest bar first: reverse its rows)") == true)
    }

    @Test func badTimes() {
        let header = "Date,open,high,low,close\n"
        let unreadable = parseError(header + "19/04/2017,1,1,1,1\n")
        #expect(unreadable?.line == 2)
        #expect(unreadable?.column == "Date")
        #expect(
            unreadable?.message == "expected a time such as 2017-04-19, 2017-04-19 09:00:00, "
                + "2017-04-19T09:00:00Z or Unix seconds or milliseconds, got \"19/04/2017\"")
        #expect(
            parseError(header + "2017-02-29,1,1,1,1\n")?.message
                == "\"2017-02-29\" is not a valid time: day 29 does not exist: that month has 28 days")
        #expect(
            parseError(header + "2017-13-01,1,1,1,1\n")?.message
                == "\"2017-13-01\" is not a valid time: month 13 does not exist (months are 01 to 12)")
        #expect(
            parseError(header + "2017-04-19 24:00:00,1,1,1,1\n")?.message
                == "\"2017-04-19 24:00:00\" is not a valid time: the time of day must be 00:00:00 to 23:59:59")
        for text in ["2017-04-19 9:00", "2017-04-19T09:00:00Q", "2017-04-19 09:00:00.", "2017-4-19", "", "abc"] {
            #expect(parseError(header + "\(text),1,1,1,1\n")?.column == "Date", "\(text)")
        }
    }

    @Test func missingColumnsAreNamedWithTheColumnsFound() {
        let error = parseError(",Open,High,Low,Volume\n2004-08-19,1,2,0.5,1\n")
        #expect(error?.line == 1)
        #expect(error?.column == nil)
        #expect(error?.message.hasPrefix("missing the close column; the header has '', 'Open', 'High', 'Low', 'Volume'.") == true)
        let noTime = parseError("Open,High,Low,Close\n1,2,0.5,1.5\n")
        #expect(noTime?.message.hasPrefix("missing the time column;") == true)
        let several = parseError("time,price\n1,2\n")
        #expect(several?.message.hasPrefix("missing the columns open, high, low, close;") == true)
        let noHeader = parseError("\n2004-08-19,1,2,0.5,1.5\n")
        #expect(noHeader?.line == 2)
        #expect(
            noHeader?.message.hasSuffix(
                "The first line looks like data: add a header line such as "
                    + "'time,open,high,low,close,volume'") == true)
    }

    @Test func aFieldNamedTwice() {
        let error = parseError("time,open,high,low,close,c\n1,1,1,1,1,1\n")
        #expect(
            error
                == BarFileError(
                    path: "bad.csv", line: 1,
                    message:
                        "the columns 'close' and 'c' both name the close: rename or remove one of them"))
        // MetaTrader-style files split the time in two columns.
        #expect(
            parseError("Date,Time,Open,High,Low,Close\n")?.message == "the columns 'Date' and 'Time' both name "
                + "the time: rename or remove one of them (a date and a time of day in two columns must be merged into "
                + "one, such as 2017-04-19 09:00:00)")
    }

    @Test func emptyFilesAndHeaderOnly() {
        #expect(parseError("") == BarFileError(path: "bad.csv", message: BarCSVReader.emptyFileMessage))
        #expect(parseError("\n \r\n\n") == BarFileError(path: "bad.csv", message: BarCSVReader.emptyFileMessage))
        #expect(parseError("\u{FEFF}") == BarFileError(path: "bad.csv", message: BarCSVReader.emptyFileMessage))
        #expect(
            parseError(",Open,High,Low,Close,Volume\n\n")
                == BarFileError(
                    path: "bad.csv", line: 1,
                    message:
                        "the file has a header but no rows: add one line per bar, oldest first"))
    }

    @Test func aWrongNumberOfFields() {
        let header = ",Open,High,Low,Close,Volume\n"
        let tooFew = parseError(header + "2004-08-19,1,2,0.5,1.5,1\r\n2004-08-20,1,2,0.5,1.5\r\n")
        #expect(
            tooFew
                == BarFileError(
                    path: "bad.csv", line: 3,
                    message: "expected 6 fields, as in the header on "
                        + "line 1, but found 5: check for a missing or extra ',', or quote a field that contains one"))
        #expect(
            parseError(header + "2004-08-19,1,2,0.5,1.5,1,\n")?.message.hasPrefix(
                "expected 6 fields, as in "
                    + "the header on line 1, but found 7") == true)
        #expect(
            parseError("time\topen\thigh\tlow\tclose\n1\t1\t1\t1\n")?.message.hasSuffix(
                "check for a missing "
                    + "or extra tab, or quote a field that contains one") == true)
    }

    @Test func brokenQuotes() {
        let header = "time,open,high,low,close\n"
        #expect(
            parseError(header + "1,1,1,1,1\n2,\"1,1,1,1\n3,1,1,1,1\n")
                == BarFileError(
                    path: "bad.csv", line: 3,
                    message: "a quoted field is never closed: add the closing '\"' (write a quote inside a quoted field as '\"\"')"))
        #expect(parseError(header + "1,\"1\"x,1,1,1\n")?.line == 2)
    }

    @Test func lineNumbersCountQuotedLineEnds() {
        let error = parseError("time,note,open,high,low,close\n1,\"two\nlines\",1,1,1,1\n2,x,1,1,1,oops\n")
        #expect(error?.line == 4)
        #expect(error?.column == "close")
    }

    @Test func aMissingFile() {
        #expect(
            throws: BarFileError(
                path: "/nonexistent/GOOG.csv",
                message: "cannot read the file: No such file or directory")
        ) {
            try BarCSVReader.read(path: "/nonexistent/GOOG.csv")
        }
    }
}

/// Times the reader on a large file: `STRATA_CSV_BENCH=/tmp/eurusd-1m.csv swift test -c release
/// -Xswiftc -enable-testing --filter BarCSVReaderBenchmark` (skipped unless the variable is set).
/// Prints the best of five runs, by wall clock and by CPU time (which a busy machine disturbs less).
@Suite struct BarCSVReaderBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["STRATA_CSV_BENCH"] != nil))
    func linesPerSecond() throws {
        let path = ProcessInfo.processInfo.environment["STRATA_CSV_BENCH"]!
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var lines = 0
        let parse = try Self.bestOfFive { lines = try BarCSVReader.parse(bytes, source: path).count }
        let read = try Self.bestOfFive { lines = try BarCSVReader.read(path: path).count }
        func rate(_ seconds: Double) -> String {
            String(format: "%.2fM lines/s (%.0f ms)", Double(lines) / seconds / 1e6, seconds * 1000)
        }
        print(
            "BarCSVReader, \(lines) lines: parse(bytes) \(rate(parse.wall)) wall, \(rate(parse.cpu)) CPU; "
                + "read(path:) \(rate(read.wall)) wall, \(rate(read.cpu)) CPU")
        #expect(lines > 0)
    }

    private static func bestOfFive(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        func now(_ clock: clockid_t) -> Double {
            var time = timespec()
            clock_gettime(clock, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
        }
        var best = (wall: Double.infinity, cpu: Double.infinity)
        for _ in 0..<5 {
            let wall = now(CLOCK_MONOTONIC)
            let cpu = now(CLOCK_PROCESS_CPUTIME_ID)
            try body()
            best = (min(best.wall, now(CLOCK_MONOTONIC) - wall), min(best.cpu, now(CLOCK_PROCESS_CPUTIME_ID) - cpu))
        }
        return best
    }
}
