import ArgumentParser
import Foundation
import StrataEngine
import StrataRuntime

/// `strata instance shadow ID [--file NEW.lua] [--config OBJECT] [--remove]`.
struct InstanceShadowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shadow",
        abstract: "Run another version or config of an instance beside it, in observe mode.",
        discussion: """
            The shadow gets the instance's ticks and starts from its state (through on_reload, or \
            init() without one, when its version differs); what it would have ordered is recorded as \
            shadow signals. --file gives it its own script (loaded in a confined worker first); \
            --config changes fields over the instance's config. Setting a shadow again replaces it; \
            --remove drops it. `strata instance promote ID` makes it the instance. \
            Exit status: 0 ok; 1 no instance, a script that does not load, an invalid config or a \
            database error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The instance id.")
    var id: String

    @Option(help: "The shadow's script (default: the instance's current version).")
    var file: String?

    @Option(help: "Config changes over the instance's config, as a JSON object (null resets a field).")
    var config: String?

    @Flag(help: "Remove the instance's shadow.")
    var remove = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        if remove && (file != nil || config != nil) { failUsage("--remove takes no --file or --config") }
        let store = options.openStore(json: json)
        let record = options.requireInstance(id, in: store, json: json)
        if remove {
            let removed = options.perform(json: json) { try store.removeShadow(instanceID: id, actor: .cli) }
            if json {
                print(JSONValue.object(["ok": .bool(true), "removed": .bool(removed)]).encoded())
            } else {
                print(removed ? "\(id): shadow removed" : "\(id): had no shadow")
            }
            return
        }
        var changes: [String: JSONValue] = [:]
        if let config {
            guard case .object(let object)? = JSONValue(parsing: config) else { failUsage("--config must be a JSON object, got: \(config)") }
            changes = object
        }
        var source: String?
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { failUsage("--file: cannot read \(file)") }
            source = String(decoding: data, as: UTF8.self)
        }
        let current = source == nil ? options.schema(strategyType: record.strategyType, identity: record.identity, json: json).0 : nil
        let prepared: (source: String?, config: [String: JSONValue])
        switch ShadowEdit().prepare(for: record, source: source, changes: changes, current: current) {
        case .success(let ready): prepared = ready
        case .failure(.config(let errors)): InstanceFailure.exit(errors, json: json)
        case .failure(.script(let error)): InstanceFailure.exit("the shadow's script does not load: \(error)", json: json)
        case .failure(.noScript(let message)): InstanceFailure.exit(message, json: json)
        }
        let shadow = options.perform(json: json) {
            try store.setShadow(instanceID: id, source: prepared.source, config: prepared.config, actor: .cli)
        }
        if json {
            print(JSONValue.object(["ok": .bool(true), "shadow": shadow.cliJSON]).encoded())
        } else {
            print(
                "\(id): shadow \(shadow.version.map { "version \($0.prefix(12))" } ?? "of the current version"), config \(JSONValue.object(shadow.config).encoded())"
            )
        }
    }
}

/// `strata instance promote ID`.
struct InstancePromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Make an instance's shadow the instance: its version, config and state.",
        discussion: """
            The instance's config becomes the shadow's (audited), a shadow with its own script has \
            that script written as the strategy type's file in --strategies (every instance of the \
            type then runs that version: hot reload keeps their states), and the running engine \
            hands the shadow's state to the instance without a restart. \
            Exit status: 0 ok; 1 no instance, no shadow, or a database or file error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The instance id.")
    var id: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        let record = options.requireInstance(id, in: store, json: json)
        guard let shadow = options.perform(json: json, { try store.shadow(instanceID: id) }) else {
            InstanceFailure.exit("instance \(id) has no shadow to promote", json: json)
        }
        if let source = shadow.source {
            do {
                try ShadowEdit.install(source, type: record.strategyType, in: URL(fileURLWithPath: options.strategies))
            } catch {
                InstanceFailure.exit("cannot write \(record.strategyType).lua in \(options.strategies): \(error)", json: json)
            }
        }
        let promoted = options.perform(json: json) { try store.requestPromotion(instanceID: id, actor: .cli) }
        if json {
            print(JSONValue.object(promoted.cliJSON).encoded())
        } else {
            print("\(id): promoted its shadow (config \(JSONValue.object(promoted.config).encoded()))")
        }
    }
}

extension ShadowRecord {
    /// The CLI's JSON form.
    var cliJSON: JSONValue {
        .object([
            "instance_id": .string(instanceID), "version": version.map(JSONValue.string) ?? .null, "config": .object(config),
            "created_at": .string(CLIDate.text(createdAt)), "updated_at": .string(CLIDate.text(updatedAt)),
        ])
    }
}
