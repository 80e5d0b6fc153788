import ArgumentParser

/// `strata instance …`: the desired state of strategy instances, in the database `strata serve` reads.
struct InstanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instance",
        abstract: "Create, list, show and change strategy instances in the database.",
        discussion: """
            Every subcommand works on the SQLite file given by --db (strata.db in the current folder \
            by default; created with the schema if missing), also while `strata serve` runs on it. \
            Changes are recorded in the audit log with actor `cli`. An instance's identity (id, type, \
            account, market) can never change.

            Exit status: 0 ok; 1 when the data refuses the request (no instance with that id, an \
            unknown or broken strategy type, an invalid config, a database error); 2 on bad usage \
            (a missing or malformed option or argument, an unknown mode).
            """,
        subcommands: [
            InstanceCreateCommand.self, InstanceListCommand.self, InstanceShowCommand.self,
            InstanceSetModeCommand.self, InstanceSetConfigCommand.self, InstanceSetRiskCommand.self, InstanceShadowCommand.self,
            InstancePromoteCommand.self,
        ]
    )
}
