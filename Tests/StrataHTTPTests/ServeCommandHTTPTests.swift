import Foundation
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `strata serve` as a real process: the HTTP options, the dashboard line on stderr, a port in
    /// use, and a clean stop on SIGTERM with an event stream open.
    @Suite struct ServeCommandHTTPTests {
        /// The built `strata` executable, beside the test bundle in `.build/<triple>/debug/`.
        static let binary: URL? = {
            var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("strata")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                folder.deleteLastPathComponent()
            }
            return nil
        }()

        /// A running `strata serve` whose stderr goes to a file.
        final class Serve {
            let process = Process()
            let stderr: URL

            init(_ arguments: [String], in folder: URL) throws {
                stderr = folder.appendingPathComponent("stderr-\(UUID().uuidString).txt")
                _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
                guard let binary = ServeCommandHTTPTests.binary else { throw RawHTTPError("build the strata executable first") }
                process.executableURL = binary
                process.arguments = ["serve"] + arguments
                process.currentDirectoryURL = folder
                process.standardError = try FileHandle(forWritingTo: stderr)
                process.standardOutput = FileHandle.nullDevice
                try process.run()
            }

            var errorText: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

            /// The port of the `dashboard: http://127.0.0.1:PORT/` line, once it is written.
            func port(timeout: Duration = .seconds(30)) async throws -> Int? {
                let deadline = ContinuousClock.now + timeout
                while ContinuousClock.now < deadline, process.isRunning {
                    for line in errorText.split(separator: "\n") where line.hasPrefix("dashboard: http://127.0.0.1:") && line.hasSuffix("/") {
                        return Int(line.dropFirst("dashboard: http://127.0.0.1:".count).dropLast())
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                return nil
            }

            /// Waits for the process to exit (killing it after `timeout`); returns its status.
            func exitStatus(timeout: Duration = .seconds(30)) async throws -> Int32 {
                let deadline = ContinuousClock.now + timeout
                while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                if process.isRunning {
                    process.interrupt()
                    Issue.record("strata serve did not exit; stderr: \(errorText)")
                    try await Task.sleep(for: .seconds(1))
                    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                }
                process.waitUntilExit()
                return process.terminationStatus
            }
        }

        func temporaryFolder() throws -> URL {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-serve-http-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("strategies"), withIntermediateDirectories: true)
            try TestStrategies.widgets.write(to: folder.appendingPathComponent("strategies/widgets.lua"), atomically: true, encoding: .utf8)
            return folder
        }

        @Test func refusesUnsafeOrBadHTTPOptions() async throws {
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let cases: [([String], String)] = [
                (["--host", "0.0.0.0"], "refusing to listen on 0.0.0.0 without --token"),
                (["--host", "192.168.7.7"], "without --token"),
                (["--port", "70000"], "--port must be from 0 to 65535"),
                (["--token", "a b"], "--token must be"),
                (["--host", ""], "--host must not be empty"),
                (["--dashboard", "/nonexistent"], "has no index.html"),
                (["--header-timeout", "0"], "--header-timeout must be more than 0"),
                (["--body-timeout=-1"], "--body-timeout must be more than 0"),
                (["--idle-timeout", "100000"], "--idle-timeout must be more than 0 and at most 86400"),
                (["--max-event-streams", "0"], "--max-event-streams must be between 1"),
            ]
            for (arguments, message) in cases {
                let serve = try Serve(["--db", "s.db", "--strategies", "strategies", "--no-demo"] + arguments, in: folder)
                #expect(try await serve.exitStatus() == 2, "\(arguments)")
                #expect(serve.errorText.contains(message), "\(arguments): \(serve.errorText)")
            }
        }

        @Test func servesOnAFreePortRefusesATakenOneAndStopsCleanly() async throws {
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let serve = try Serve(["--db", "s.db", "--strategies", "strategies", "--no-demo", "--port", "0", "--token", "tok-1"], in: folder)
            defer { if serve.process.isRunning { serve.process.terminate() } }
            let port = try #require(try await serve.port(), "no dashboard line: \(serve.errorText)")

            let refused = try RawHTTPConnection(port: port)
            try refused.get("/api/instances", headers: ["Connection: close"])
            #expect(await refused.read { $0.contains("\r\n\r\n{") && $0.hasSuffix("}") })
            #expect(refused.received.hasPrefix("HTTP/1.1 401"))
            let listed = try RawHTTPConnection(port: port)
            try listed.get("/api/instances", headers: ["Authorization: Bearer tok-1", "Connection: close"])
            #expect(await listed.read { $0.contains("\"total\":0") })
            #expect(listed.received.hasPrefix("HTTP/1.1 200"))

            // The same port again: a clear refusal, exit 2
            let second = try Serve(["--db", "t.db", "--strategies", "strategies", "--no-demo", "--port", String(port)], in: folder)
            #expect(try await second.exitStatus() == 2)
            #expect(second.errorText.contains("cannot listen on 127.0.0.1:\(port): the port is in use"), "\(second.errorText)")

            // SIGTERM with an event stream open: the stream ends and the server stops with 0
            let stream = try RawHTTPConnection(port: port)
            try stream.get("/api/events", headers: ["Authorization: Bearer tok-1"])
            #expect(await stream.read { $0.contains(": connected") })
            serve.process.terminate()
            #expect(try await serve.exitStatus() == 0, "\(serve.errorText)")
            #expect(await stream.read { $0.hasSuffix("0\r\n\r\n") })
            #expect(serve.errorText.contains("stopped"))
        }
    }
}
