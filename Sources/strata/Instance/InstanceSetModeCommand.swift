import ArgumentParser
import StrataEngine
import StrataRuntime

/// `strata instance set-mode ID MODE`.
struct InstanceSetModeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-mode",
        abstract: "Switch an instance off, to observe or to active.",
        discussion: """
            Setting the current mode again changes nothing (no audit entry). \
            Exit status: 0 ok; 1 no instance with that id or database error; 2 bad usage (an unknown mode).
            """
    )

    @OptionGroup var options: InstanceOptions

    @Argument(help: "The instance id.")
    var id: String

    @Argument(help: "off, observe or active.")
    var mode: String

    @Flag(help: "Print the record after the change as one JSON object.")
    var json = false

    func run() throws {
        let newMode = parseMode(mode, option: "MODE")
        let store = options.openStore(json: json)
        let old = options.requireInstance(id, in: store, json: json)
        let record = options.perform(json: json) { try store.setMode(id: id, to: newMode, actor: .cli) }
        if json {
            print(JSONValue.object(record.cliJSON).encoded())
        } else if old.mode == newMode {
            print("\(id): mode already \(newMode.rawValue) (nothing changed)")
        } else {
            print("\(id): mode \(old.mode.rawValue) -> \(record.mode.rawValue)")
        }
    }
}
