import ArgumentParser
import Foundation
import StrataEngine
import StrataIsolation
import StrataRuntime

/// `strata instance create`: adds an instance whose config is valid for its strategy's schema.
struct InstanceCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an instance of a strategy type; prints its id.",
        discussion: """
            The type must be TYPE.lua in --strategies and load in the sandbox. The config is checked \
            against the script's CONFIG_SCHEMA (every bad field is named), then tried on a scratch copy \
            (init and a few synthetic ticks; a script error refuses it, with its traceback), and stored \
            with defaults filled. \
            Exit status: 0 created; 1 unknown or broken type, invalid config, id taken, database error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Option(help: "The strategy type (a file TYPE.lua in --strategies).")
    var type: String

    @Option(help: "The account whose broker executes the orders (created as a paper account if new).")
    var account: String

    @Option(help: "The market whose ticks the instance receives.")
    var market: String

    @Option(help: "off, observe or active.")
    var mode = "off"

    @Option(help: "Config as a JSON object (fields left out take their defaults).")
    var config: String?

    @Option(help: "The instance id (default: TYPE-<8 hex digits>).")
    var id: String?

    @Flag(help: "Print the created record as one JSON object.")
    var json = false

    func run() throws {
        StuckCallGuard.install(json: json)
        let mode = parseMode(mode, option: "--mode")
        let given: [(String, String?)] = [("--type", type), ("--account", account), ("--market", market), ("--id", id)]
        for case (let name, let value?) in given where value.trimmingCharacters(in: .whitespaces).isEmpty {
            failUsage("\(name) must not be empty")
        }
        guard !type.contains("/"), !type.hasSuffix(".lua") else {
            failUsage("--type is a strategy type (a file name in \(options.strategies)/ without .lua), got '\(type)'")
        }
        var requested: [String: JSONValue] = [:]
        if let config {
            guard let object = JSONValue(parsing: config)?.objectValue else {
                failUsage("--config must be a JSON object, like '{\"fast\": 5}'; got: \(config)")
            }
            requested = object
        }
        let identity = InstanceIdentity(
            id: id ?? InstanceRecord.makeID(strategyType: type),
            strategyType: type, account: account, market: market)
        let (script, schema) = options.schema(strategyType: type, identity: identity, json: json)
        let validConfig: [String: JSONValue]
        switch schema.validate(requested) {
        case .success(let valid): validConfig = valid
        case .failure(let errors): InstanceFailure.exit(errors, json: json)
        }
        let trial = ConfigTrial(script: script, identity: identity, mode: mode, current: nil, proposed: validConfig)
        if let failure = IsolatedConfigTrial(trial: trial, executable: WorkerProcess.currentExecutable).run() {
            InstanceFailure.exit(failure, json: json)
        }
        let store = options.openStore(json: json)
        let record = options.perform(json: json) {
            try store.createInstance(identity, mode: mode, config: validConfig, actor: .cli)
        }
        print(json ? JSONValue.object(record.cliJSON).encoded() : record.id)
    }
}
