import ArgumentParser
import Foundation
import StrataEngine
import StrataIsolation

/// `strata worker`: what the engine and the one-shot commands start to run scripts in a process
/// of their own. Not for people: it talks to its parent on descriptor 3.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run strategies for a parent strata process (internal; talks on descriptor 3).",
        shouldDisplay: false
    )

    @Option(help: "RLIMIT_AS in bytes (0: unlimited).")
    var addressSpace: UInt64 = WorkerConfinement().addressSpaceBytes

    @Option(help: "RLIMIT_CPU in seconds (0: unlimited).")
    var cpuSeconds: UInt64 = 0

    @Option(help: "RLIMIT_NOFILE.")
    var openFiles: UInt64 = WorkerConfinement().openFiles

    func run() throws {
        var status = stat()
        guard fstat(3, &status) == 0, (status.st_mode & S_IFMT) == S_IFSOCK else {
            failUsage("worker is started by strata itself, with its channel on descriptor 3")
        }
        let confinement = WorkerConfinement(addressSpaceBytes: addressSpace, cpuSeconds: cpuSeconds, openFiles: openFiles)
        guard let session = WorkerSession(channel: WorkerChannel(descriptor: 3)) else { Foundation.exit(70) }
        if session.request["check"] != nil {
            Foundation.exit(CheckWorker.run(session, confinement: confinement))
        } else if session.request["backtest"] != nil {
            Foundation.exit(BacktestWorker.run(session, confinement: confinement))
        } else if session.request["optimize"] != nil {
            Foundation.exit(OptimizeWorker.run(session, confinement: confinement))
        } else if session.request["config_trial"] != nil {
            Foundation.exit(IsolatedConfigTrial.serve(session, confinement: confinement))
        } else if session.request["load_check"] != nil {
            Foundation.exit(IsolatedLoadCheck.serve(session, confinement: confinement))
        } else if session.request["host"] != nil {
            // The call board is mapped before confinement; nothing is opened after it.
            guard let host = InstanceHostWorker(session: session), session.confine(confinement) else { Foundation.exit(70) }
            Foundation.exit(host.serve())
        }
        session.fail("unknown request")
        Foundation.exit(70)
    }
}
