import ArgumentParser
import Foundation

/// The `strata` command line.
@main
struct Strata: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Strata: a strategy execution engine for Lua 5.4 strategies.",
        subcommands: [
            ServeCommand.self, CheckCommand.self, BacktestCommand.self, OptimizeCommand.self, ReplayCommand.self, NewCommand.self, BenchCommand.self,
            InstanceCommand.self, AccountCommand.self, HaltCommand.self, ResumeCommand.self, WebhookCommand.self,
            WorkerCommand.self,
        ]
    )

    /// Runs the command; bad usage exits with 2 (not ArgumentParser's 64), as every Strata
    /// command promises: 0 ok, 1 the work failed, 2 bad usage.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Thrown by commands for bad input: printed to stderr, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

extension ParsableArguments {
    /// Prints `message` to stderr and exits with status 2.
    func failUsage(_ message: String) -> Never {
        FileHandle.standardError.write(Data("strata: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
