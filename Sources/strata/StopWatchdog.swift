import CStrataLua
import Foundation
import Logging
import StrataEngine
import StrataPersistence
import Synchronization

/// Makes sure `strata serve` ends when it must, even when its engine cannot: a script stuck
/// in C code in this process holds the engine's thread for good, and then `EngineLoop.stop()`
/// never returns. Armed by the stop signal (SIGINT, SIGTERM), it waits `timeout` seconds for the
/// process to end on its own; past that, and at once when the deadline watchdog reports a call
/// that no in-process means can stop, it kills the worker processes, writes every instance
/// still `running` as `stopped` through a connection of its own, logs why and exits.
final class StopWatchdog: Sendable {
    /// The exit status when the process did not end within the timeout after a stop signal.
    static let timedOutStatus: Int32 = 3
    /// The exit status when a script got stuck in C code in this process (`--isolation none`).
    static let stuckStatus: Int32 = 4
    /// How long writing the statuses may take before the process exits without them (the
    /// database may be held by the very thread that is stuck).
    static let statusWriteBound: Double = 2

    private struct State {
        var armed = false
        var engineStopped = false
        var ending = false
    }

    /// The SQLite file to write the stopped statuses to; nil for a cluster node (its leases
    /// lapse, and the nodes that take its instances over write their statuses).
    let databasePath: String?
    let timeout: Double
    let logger: Logger
    private let state = Mutex(State())

    init(databasePath: String?, timeout: Double, logger: Logger) {
        self.databasePath = databasePath
        self.timeout = timeout
        self.logger = logger
    }

    /// Also ends the process when a call stays stuck in C code after its kill (see
    /// `strata_setstuckhandler`): such a call never returns, so its thread, and every tick
    /// round that waits for it, is lost until the process ends.
    func installStuckHandler() {
        installedWatchdog.withLock { $0 = self }
        strata_setstuckhandler { phase in
            installedWatchdog.withLock { $0 }?.scriptStuck(phase: phase)
        }
    }

    /// Starts the countdown (the stop signal arrived); arming twice does nothing.
    func arm() {
        let first = state.withLock { state -> Bool in
            defer { state.armed = true }
            return !state.armed
        }
        guard first else { return }
        let thread = Thread { [self] in
            Thread.sleep(forTimeInterval: timeout)
            end(
                status: Self.timedOutStatus,
                reason: "strata serve did not stop within \(Self.seconds(timeout)) of the stop signal (--stop-timeout)")
        }
        thread.name = "strata-stop-watchdog"
        thread.start()
    }

    /// The engine has stopped and written its statuses itself.
    func engineDidStop() {
        state.withLock { $0.engineStopped = true }
    }

    private func scriptStuck(phase: Int32) {
        end(
            status: Self.stuckStatus,
            reason: "a script is stuck in C code in this process (in \(Self.phaseName(phase))) where nothing can stop it, "
                + "so no instance would tick again; ending the process. Run third-party scripts with --isolation process")
    }

    /// Kills the workers, writes the statuses unless the engine did, logs `reason` and exits.
    private func end(status: Int32, reason: String) {
        let (first, engineStopped) = state.withLock { state -> (Bool, Bool) in
            defer { state.ending = true }
            return (!state.ending, state.engineStopped)
        }
        guard first else { return }
        let killed = WorkerChildren.killAll()
        var written = "the engine had written them"
        if !engineStopped {
            written = writeStoppedStatuses()
        }
        logger.critical(
            "forced stop: \(reason)",
            metadata: ["exit_status": "\(status)", "workers_killed": "\(killed)", "statuses": "\(written)"])
        _exit(status)
    }

    /// Writes every `running` or `loading` instance as `stopped`, within ``statusWriteBound``.
    /// - Returns: what happened, for the log.
    private func writeStoppedStatuses() -> String {
        guard let path = databasePath else { return "not written: a cluster node's instances are taken over when its leases lapse" }
        let outcome = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let writer = Thread {
            let result: String
            do {
                let store = try SQLiteStore(path: path)
                let stopped = Self.stopped(try store.statuses(), at: Date())
                try store.saveStatuses(stopped, overRunningOnly: false)
                try? store.close()
                result = "\(stopped.count) written as stopped"
            } catch {
                result = "not written: \(error)"
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        writer.name = "strata-stop-statuses"
        writer.start()
        guard done.wait(timeout: .now() + Self.statusWriteBound) == .success else {
            return "not written: the database did not answer within \(Self.seconds(Self.statusWriteBound))"
        }
        return outcome.withLock { $0 } ?? "not written"
    }

    /// The statuses of instances the engine left `running` or `loading`, now `stopped`; the
    /// others (stopped, error) are left as they are.
    static func stopped(_ statuses: [InstanceStatus], at now: Date) -> [InstanceStatus] {
        statuses.compactMap { status in
            guard status.state == .running || status.state == .loading else { return nil }
            var stopped = status
            stopped.state = .stopped
            stopped.updatedAt = now
            return stopped
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private static func phaseName(_ phase: Int32) -> String {
        switch phase {
        case Int32(STRATA_PHASE_LOAD.rawValue): return "load"
        case Int32(STRATA_PHASE_INIT.rawValue): return "init"
        case Int32(STRATA_PHASE_RENDER.rawValue): return "render"
        case Int32(STRATA_PHASE_CONFIG.rawValue): return "on_config"
        case Int32(STRATA_PHASE_RELOAD.rawValue): return "on_reload"
        default: return "on_tick"
        }
    }
}

/// The watchdog the C stuck handler reaches (a C function pointer captures nothing).
private let installedWatchdog = Mutex<StopWatchdog?>(nil)
