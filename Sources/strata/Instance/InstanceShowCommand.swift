import ArgumentParser
import StrataEngine
import StrataRuntime

/// `strata instance show ID`: desired state, observed state and audit log of one instance.
struct InstanceShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one instance: identity, mode, config, status and audit log.",
        discussion: """
            status is "stopped" and version/last_error null until the engine has run the instance. \
            Exit status: 0 ok; 1 no instance with that id or database error; 2 bad usage.
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The instance id.")
    var id: String

    @Flag(help: "Print one JSON object (the record, status fields and `audit`).")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        let record = options.requireInstance(id, in: store, json: json)
        let (status, audit) = options.perform(json: json) {
            (try store.status(instanceID: id), try store.auditLog(instanceID: id))
        }
        var object = record.cliJSON(status: status)
        if json {
            object["audit"] = .array(audit.map(\.cliJSON))
            print(JSONValue.object(object).encoded())
            return
        }
        for key in [
            "id", "strategy_type", "account", "market", "mode", "config", "status", "version",
            "ticks", "last_tick_at", "created_at", "updated_at",
        ] {
            print("\(key): \(Self.text(object[key] ?? .null))")
        }
        if let failure = status?.lastError {
            print("last_error: \(failure.kind): \(failure.message)")
            if let traceback = failure.traceback { print(traceback) }
        } else {
            print("last_error: -")
        }
        print("audit:")
        for entry in audit {
            let change = entry.old.map { "\(Self.text($0)) -> \(Self.text(entry.new))" } ?? Self.text(entry.new)
            print("  \(CLIDate.text(entry.at))  \(entry.actor.rawValue)  \(entry.field.rawValue)  \(change)")
        }
    }

    /// Strings bare, null as "-", everything else as JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return "-"
        default: return value.encoded()
        }
    }
}
