import ArgumentParser
import StrataEngine
import StrataRuntime

/// `strata instance list`: every instance with its mode and observed status.
struct InstanceListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List instances: ID, TYPE, MARKET, ACCOUNT, MODE, STATUS.",
        discussion: "Exit status: 0 ok; 1 database error; 2 bad usage."
    )

    @OptionGroup var options: InstanceOptions

    @Flag(help: "Print one JSON array of records (with status, version, ticks, last_error).")
    var json = false

    func run() throws {
        let store = options.openStore(json: json)
        let rows = options.perform(json: json) {
            try store.instances().map { ($0, try store.status(instanceID: $0.id)) }
        }
        if json {
            print(JSONValue.array(rows.map { .object($0.0.cliJSON(status: $0.1)) }).encoded())
            return
        }
        let table =
            [["ID", "TYPE", "MARKET", "ACCOUNT", "MODE", "STATUS"]]
            + rows.map { record, status in
                [
                    record.id, record.strategyType, record.market, record.account, record.mode.rawValue,
                    status?.state.rawValue ?? InstanceStatus.State.stopped.rawValue,
                ]
            }
        let widths = (0..<6).map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            print(cells.joined(separator: "  "))
        }
    }
}
