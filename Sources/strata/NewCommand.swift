import ArgumentParser
import Foundation

/// `strata new NAME`: writes a commented starter strategy that passes `strata check`.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a commented starter strategy to strategies-lua/NAME.lua."
    )

    @Argument(help: "The strategy type: letters, digits and _, starting with a letter.")
    var name: String

    @Option(help: "The folder to write into.")
    var dir = "strategies-lua"

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        guard let first = name.first, first.isASCII, first.isLetter,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            failUsage("strategy names use letters, digits and _ and start with a letter; got '\(name)'")
        }
        let path = URL(fileURLWithPath: dir).appendingPathComponent("\(name).lua").path
        if FileManager.default.fileExists(atPath: path) {
            failUsage("\(path) already exists; choose another name or delete it first")
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try StarterStrategy.source(name: name).write(toFile: path, atomically: true, encoding: .utf8)
        if json {
            print("{\"path\":\"\(path)\",\"strategy_type\":\"\(name)\"}")
        } else {
            print("wrote \(path)\ncheck it with: strata check \(path)")
        }
    }
}
