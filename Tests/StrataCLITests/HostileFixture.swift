import Foundation

/// One script of the live hostile suite (`Tests/StrataCLITests/Hostile/`), with the outcomes
/// its header accepts:
///
/// ```lua
/// -- live: cpu_limit|quarantined      error kinds the instance may end in under strata serve
/// -- check: cpu_limit                 `strata check --json` verdicts (`ok`, or an error kind)
/// -- render: invalid_render|crashed   optional: render() is asked for, and must be refused so
/// ```
///
/// A script whose attack worked says so in an error starting "ATTACK SUCCEEDED"; one whose
/// attack had no effect and was not stopped ends itself with "neutralized: …", so that every
/// hostile instance ends in `error` with a cause either way.
struct HostileFixture: Sendable, CustomStringConvertible {
    static let folder = repositoryRoot.appendingPathComponent("Tests/StrataCLITests/Hostile")
    /// What a script writes when its attack worked.
    static let successMarker = "ATTACK SUCCEEDED"

    let file: URL
    let live: Set<String>
    let check: Set<String>
    let render: Set<String>?

    /// The strategy type: the file name without `.lua`.
    var name: String { file.deletingPathExtension().lastPathComponent }
    var description: String { name }

    init(file: URL) throws {
        self.file = file
        var fields: [String: Set<String>] = [:]
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            guard line.hasPrefix("-- "), let colon = line.firstIndex(of: ":") else { continue }
            let key = line.dropFirst(3)[..<colon].trimmingCharacters(in: .whitespaces)
            guard ["live", "check", "render"].contains(key) else { continue }
            let kinds = line[line.index(after: colon)...].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            fields[key] = Set(kinds)
        }
        live = fields["live"] ?? []
        check = fields["check"] ?? []
        render = fields["render"]
    }

    /// Every fixture in the folder, by name.
    static func all() throws -> [HostileFixture] {
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        return try files.filter { $0.pathExtension == "lua" }.map(HostileFixture.init(file:)).sorted { $0.name < $1.name }
    }
}
