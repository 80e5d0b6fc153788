import Foundation
import StrataPostgres

/// The PostgreSQL server of one `strata bench` run: the one `--postgres` names, or a throwaway
/// one started from Debian's `postgresql` package by `tools/postgres/test-server.sh` (with
/// its durability settings left on: fsync and synchronous commit, as a real deployment has
/// them) and stopped when the run ends. Each scenario gets a database of its own.
final class BenchPostgres {
    /// The server's URL (its `strata` database).
    let url: String
    /// The folder of a throwaway server, nil for one given with `--postgres`.
    private let folder: String?
    private let script: String
    private var made: [String] = []

    /// Why the PostgreSQL figures cannot be measured, when they cannot.
    static func unavailable(given: String?, benchDir: String) -> String? {
        guard given == nil else { return nil }
        let script = Self.script(benchDir: benchDir)
        guard FileManager.default.fileExists(atPath: script) else { return "\(script) not found" }
        let installed = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.isEmpty == false
        return installed ? nil : "PostgreSQL is not installed (apt-get install postgresql, or pass --postgres URL)"
    }

    /// Uses the server at `given`, or starts a throwaway one.
    init(given: String?, benchDir: String, progress: (String) -> Void) throws {
        script = Self.script(benchDir: benchDir)
        if let given {
            url = given
            folder = nil
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bench-pg-\(UUID().uuidString.prefix(8))").path
        progress("starting a throwaway PostgreSQL server (initdb into \(folder), fsync on)…")
        let output = try Self.run(script, ["start", folder], environment: ["STRATA_PG_DURABLE": "1"])
        guard let line = output.split(separator: "\n").last, line.hasPrefix("postgres://") else {
            throw UsageError("the throwaway PostgreSQL server did not start: \(output)")
        }
        url = String(line)
        self.folder = folder
    }

    deinit {
        for name in made { try? PostgresDatabases.drop(name, onServerOf: url) }
        if let folder { _ = try? Self.run(script, ["stop", folder]) }
    }

    /// A new, empty database for one scenario (dropped when the run ends); its URL.
    func database(_ purpose: String) throws -> String {
        let name = "strata_bench_\(purpose)_\(UUID().uuidString.prefix(8).lowercased())"
        try? PostgresDatabases.drop(name, onServerOf: url)
        let created = try PostgresDatabases.create(name, onServerOf: url)
        made.append(name)
        return created
    }

    private static func script(benchDir: String) -> String {
        URL(fileURLWithPath: benchDir).deletingLastPathComponent().appendingPathComponent("postgres/test-server.sh").path
    }

    /// Runs `script ARGUMENTS`; its standard output, or an error with its standard error. Both go
    /// to files, not pipes: the server it starts keeps inherited descriptors open.
    private static func run(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bench-pg-\(UUID().uuidString.prefix(8))")
        let out = base.appendingPathExtension("out")
        let err = base.appendingPathExtension("err")
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        // Not Foundation's Process: its wait did not return here once the server had started.
        let assignments = environment.map { "\($0.key)=\(quoted($0.value))" }.joined(separator: " ")
        let command = "env \(assignments) /bin/bash \(([script] + arguments).map(quoted).joined(separator: " ")) >\(quoted(out.path)) 2>\(quoted(err.path))"
        let status = system(command)
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let errors = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            throw UsageError("\(script) \(arguments.joined(separator: " ")) failed: \(errors)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// `text` in single quotes for the shell.
private func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
