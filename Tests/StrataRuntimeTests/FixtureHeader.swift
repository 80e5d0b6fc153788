import Foundation
import Testing

@testable import StrataRuntime

/// One Lua fixture file (`Fixtures/<group>/<name>.lua`) and the outcome its header promises.
///
/// The header is the leading `--` comment block:
///
///     -- expect: <outcome>[|<outcome>…] [phase=P] [line=N] [ticks=N] [message~=TEXT to the end of the line]
///     -- traceback: TEXT     (optional: a fragment the traceback must contain)
///     -- why: one line       (required)
///     -- known-issue: TEXT   (optional: the run ends but today gives the wrong outcome)
///     -- hangs: TEXT         (optional: today the run hangs or crashes, so it is not run in-process)
///
/// `<outcome>` is `ok` or an error kind of `strata check --json` (syntax, runtime, cpu_limit,
/// memory_limit, invalid_schema, missing_function, invalid_render, invalid_config, crashed); `P` is one of
/// load, init, tick, render. Fragments are plain text, not patterns. `tools/check-fixtures.sh`
/// reads the same header.
struct Fixture: Sendable, CustomTestStringConvertible {
    static let groups = ["adversarial", "broken", "valid"]

    let group: String
    let name: String
    let source: String
    let header: Result<FixtureHeader, FixtureHeaderError>

    var testDescription: String { "\(group)/\(name).lua" }

    /// Every fixture, sorted by group and name.
    static let all: [Fixture] = {
        guard let root = folder else { return [] }
        var fixtures: [Fixture] = []
        for group in groups {
            let directory = root.appendingPathComponent(group)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".lua") {
                let source = (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) ?? ""
                fixtures.append(
                    Fixture(
                        group: group, name: String(file.dropLast(4)), source: source,
                        header: Result { () throws(FixtureHeaderError) in try FixtureHeader(parsing: source) }))
            }
        }
        return fixtures
    }()

    /// Fixtures that can run in this process (everything but the known hangs and crashes).
    static let runnable = all.filter { (try? $0.header.get())?.hangs == nil }
    /// Fixtures that hang or crash today: listed by a disabled test until the sandbox is fixed.
    static let hanging = all.filter { (try? $0.header.get())?.hangs != nil }

    /// The copied `Fixtures` resource folder, or the source folder next to this file.
    private static let folder: URL? = {
        if let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) { return url }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        return FileManager.default.fileExists(atPath: source.path) ? source : nil
    }()

    /// The fixture as `strata check` reads its file: offered every module of `GROUP/lib/`.
    var script: StrategyScript {
        guard let root = Self.folder else { return StrategyScript(name: name, source: source, chunkName: "@\(name).lua") }
        return StrategyScript.file(root.appendingPathComponent(group).appendingPathComponent("\(name).lua"), source: source)
    }

    /// Runs `strata check` on the fixture in this process.
    func check(ticks: Int, limits: StrategyLimits = .standard) -> StrategyCheckReport {
        // Offered the modules of the group's `lib/` folder, as `strata check` on the file is.
        StrategyCheck(script: script, ticks: ticks, limits: limits).run()
    }
}

/// What a fixture's header promises.
struct FixtureHeader: Sendable, Equatable {
    var outcomes: [String]
    var phase: String?
    var line: Int?
    var ticks = 5
    var message: String?
    var traceback: String?
    var why = ""
    var knownIssue: String?
    var hangs: String?

    static let kinds: Set<String> = [
        "ok", "syntax", "runtime", "cpu_limit", "memory_limit", "invalid_schema",
        "missing_function", "invalid_render", "invalid_config", "crashed",
    ]
    static let phases: Set<String> = ["load", "init", "tick", "render"]

    var expectsSuccess: Bool { outcomes == ["ok"] }

    /// The deadline of the call that is expected to fail (for `ok`, the longest one).
    var deadline: Duration {
        let limits = StrategyLimits.standard
        switch phase {
        case "tick": return limits.tickDeadline
        case "render": return limits.renderDeadline
        default: return limits.loadDeadline
        }
    }

    /// A hang detector, not a benchmark: twice the deadline plus slack for a loaded 2-core machine
    /// running tests in parallel.
    var timeLimit: Duration { deadline * 2 + .milliseconds(2_500) }

    init(parsing source: String) throws(FixtureHeaderError) {
        var expect: String?
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            guard rawLine.hasPrefix("--") else { break }
            let text = rawLine.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard let colon = text.firstIndex(of: ":") else { continue }
            let key = text[..<colon]
            let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "expect": expect = value
            case "why": why = value
            case "traceback": traceback = value
            case "known-issue": knownIssue = value
            case "hangs": hangs = value
            default: continue
            }
        }
        guard let expect else { throw FixtureHeaderError("no `-- expect:` line") }
        guard !why.isEmpty else { throw FixtureHeaderError("no `-- why:` line") }
        var rest = Substring(expect)
        if let range = rest.range(of: "message~=") {
            message = String(rest[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            rest = rest[..<range.lowerBound]
        }
        let words = rest.split(separator: " ")
        guard let first = words.first else { throw FixtureHeaderError("`-- expect:` names no outcome") }
        outcomes = first.split(separator: "|").map(String.init)
        for outcome in outcomes where !Self.kinds.contains(outcome) {
            throw FixtureHeaderError("unknown outcome '\(outcome)'")
        }
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw FixtureHeaderError("cannot read '\(word)'") }
            switch parts[0] {
            case "phase" where Self.phases.contains(parts[1]): phase = parts[1]
            case "line": line = Int(parts[1])
            case "ticks": ticks = Int(parts[1]) ?? -1
            default: throw FixtureHeaderError("cannot read '\(word)'")
            }
        }
        if expectsSuccess != (phase == nil) { throw FixtureHeaderError("a failure needs phase=…, and ok takes none") }
        if ticks < 0 { throw FixtureHeaderError("ticks must be a number") }
    }

    /// Records an issue for every way `report` differs from this header.
    func verify(_ report: StrategyCheckReport, fixture: String) {
        guard let error = report.error else {
            #expect(expectsSuccess, "\(fixture): expected \(outcomes.joined(separator: "|")) in \(phase ?? "?"), but the check passed")
            return
        }
        let got = "\(error.kind.rawValue) in \(report.phase ?? "?"): \(error.message.prefix(300))"
        guard !expectsSuccess else {
            Issue.record("\(fixture): expected ok, got \(got)")
            return
        }
        #expect(outcomes.contains(error.kind.rawValue), "\(fixture): expected \(outcomes.joined(separator: "|")), got \(got)")
        #expect(report.phase == phase, "\(fixture): expected phase \(phase ?? "?"), got \(got)")
        if let line { #expect(error.line == line, "\(fixture): expected line \(line), got \(error.line.map(String.init) ?? "none")") }
        if let message { #expect(error.message.contains(message), "\(fixture): message should contain \"\(message)\", got \(got)") }
        if let traceback {
            #expect(error.traceback?.contains(traceback) == true, "\(fixture): traceback should contain \"\(traceback)\", got \(error.traceback ?? "none")")
        }
    }
}

/// Why a fixture header cannot be read.
struct FixtureHeaderError: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
