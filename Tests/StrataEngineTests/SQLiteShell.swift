import Foundation
import Testing

/// Runs `sql` through `sqlite3` on the database at `path`, as an operator's shell would (a test
/// breaks or mends the database under a running engine this way).
func sqlite3(_ path: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [path, sql]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "sqlite3 \(sql)")
}
