import ArgumentParser
import StrataEngine
import StrataIsolation
import StrataRuntime

/// `strata instance set-config ID (--json OBJECT | KEY=VALUE ...)`.
struct InstanceSetConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-config",
        abstract: "Change config fields of an instance (merged over its current config).",
        discussion: """
            Give the changes as --json '{"fast": 5}' or as KEY=VALUE arguments (a VALUE that parses \
            as JSON is taken as JSON, else as a string: fast=5 side=long); both may be combined, \
            KEY=VALUE winning; a field set to null goes back to its default. Here --json takes the object, and its presence also makes the output \
            JSON (for JSON output with KEY=VALUE alone, add --json '{}'). The merged config is checked \
            against the schema of the instance's current strategy file: every bad field is named and \
            nothing is written on refusal. Stored fields the script no longer declares are dropped. \
            A config that passes the schema is then tried on a scratch copy of the instance (stored \
            config, a few synthetic ticks, the new config through on_config or init, more ticks); \
            if the script fails, nothing is written and its error and traceback are shown. \
            Exit status: 0 ok; 1 no instance with that id, unknown or broken type, invalid config or \
            database error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The instance id.")
    var id: String

    @Argument(help: "KEY=VALUE changes.")
    var assignments: [String] = []

    @Option(name: .customLong("json"), help: "The changes as a JSON object; also prints JSON.")
    var changesJSON: String?

    func run() throws {
        let json = changesJSON != nil
        StuckCallGuard.install(json: json)
        let changes = parseChanges()
        let store = options.openStore(json: json)
        let record = options.requireInstance(id, in: store, json: json)
        let (script, schema) = options.schema(strategyType: record.strategyType, identity: record.identity, json: json)
        let validConfig: [String: JSONValue]
        switch ConfigEdit.merge(changes, into: record.config, schema: schema) {
        case .success(let valid): validConfig = valid
        case .failure(let errors): InstanceFailure.exit(errors, json: json)
        }
        if validConfig != record.config {
            let trial = ConfigTrial(script: script, identity: record.identity, mode: record.mode, current: record.config, proposed: validConfig)
            if let failure = IsolatedConfigTrial(trial: trial, executable: WorkerProcess.currentExecutable).run() {
                InstanceFailure.exit(failure, json: json)
            }
        }
        let updated = options.perform(json: json) { try store.setConfig(id: id, to: validConfig, actor: .cli) }
        if json {
            print(JSONValue.object(updated.cliJSON).encoded())
        } else if updated.config == record.config {
            print("\(id): config unchanged")
        } else {
            print("\(id): config \(JSONValue.object(updated.config).encoded())")
        }
    }

    /// The requested changes, or exit 2 when none are given or one is malformed.
    private func parseChanges() -> [String: JSONValue] {
        var changes: [String: JSONValue] = [:]
        if let changesJSON {
            guard let object = JSONValue(parsing: changesJSON)?.objectValue else {
                failUsage("--json must be a JSON object, like '{\"fast\": 5}'; got: \(changesJSON)")
            }
            changes = object
        }
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                failUsage("expected KEY=VALUE (like fast=5), got '\(assignment)'")
            }
            let text = String(assignment[assignment.index(after: equals)...])
            changes[String(assignment[..<equals])] = JSONValue(parsing: text) ?? .string(text)
        }
        guard changesJSON != nil || !assignments.isEmpty else {
            failUsage("give the changes as --json '{\"fast\": 5}' or as KEY=VALUE arguments")
        }
        return changes
    }
}
