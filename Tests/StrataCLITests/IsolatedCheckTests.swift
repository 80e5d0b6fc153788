import Foundation
import StrataRuntime
import Testing

/// `strata check` runs the script in a confined worker process: whatever the script does to
/// that process comes back as a verdict and an exit status, never as a dead or hung command.
@Suite struct IsolatedCheckTests {
    static let sma = "strategies-lua/sma_cross.lua"
    static let fixtures = "Tests/StrataRuntimeTests/Fixtures/adversarial/"

    /// The report without its timing.
    func untimed(_ run: StrataRun) -> [String: JSONValue]? {
        run.json?.filter { $0.key != "elapsed_ms" }
    }

    @Test func aWorkingScriptGetsTheSameReportAsInProcess() throws {
        let isolated = try strata("check", Self.sma, "--json")
        let inProcess = try strata("check", Self.sma, "--json", "--isolation", "none")
        #expect(isolated.status == 0, "\(isolated.stderr)")
        #expect(untimed(isolated) == untimed(inProcess))
        #expect(isolated.json?["ticks"] == .integer(1000))
    }

    @Test func theSandboxsOwnVerdictsComeBackFromTheWorker() throws {
        for (file, kind, phase) in [
            ("loop_tick.lua", "cpu_limit", "tick"), ("memory_in_tick.lua", "memory_limit", "tick"), ("os_execute.lua", "runtime", "tick"),
        ] {
            let run = try strata("check", Self.fixtures + file, "--json")
            #expect(run.status == 1, "\(file)")
            #expect(run.json?["error"]?["kind"] == .string(kind), "\(file): \(run.stdout)")
            #expect(run.json?["phase"] == .string(phase), "\(file): \(run.stdout)")
        }
    }

    @Test func aWorkerThatDiesIsACrashedVerdict() throws {
        let run = try strata(["check", Self.sma, "--json"], environment: ["STRATA_WORKER_FAULT": "segv"])
        #expect(run.status == 1)
        #expect(run.json?["error"]?["kind"] == .string("crashed"))
        #expect(run.json?["error"]?["message"] == .string("crashed: SIGSEGV in on_tick"))
        #expect(run.json?["phase"] == .string("tick"))
        let text = try strata(["check", Self.sma], environment: ["STRATA_WORKER_FAULT": "segv"])
        #expect(text.status == 1)
        #expect(text.stdout.contains("FAIL sma_cross (tick): crashed"), "\(text.stdout)")
    }

    @Test func aWorkerStuckInCIsKilledWithACPUVerdict() throws {
        let spinning = try strata(["check", Self.sma, "--json"], environment: ["STRATA_WORKER_FAULT": "spin"])
        #expect(spinning.status == 1)
        #expect(spinning.json?["error"]?["kind"] == .string("cpu_limit"))
        #expect(spinning.json?["error"]?["message"]?.stringValue?.hasPrefix("killed: on_tick stuck in code that cannot be interrupted") == true)
        let sleeping = try strata(["check", Self.sma, "--json"], environment: ["STRATA_WORKER_FAULT": "hang"])
        #expect(sleeping.status == 1)
        #expect(sleeping.json?["error"]?["kind"] == .string("cpu_limit"))
        #expect(sleeping.json?["error"]?["message"]?.stringValue?.hasPrefix("killed: on_tick stopped answering") == true)
    }

    @Test func theWorkerCommandRefusesToRunWithoutItsChannel() throws {
        let run = try strata("worker")
        #expect(run.status == 2)
        #expect(run.stderr.contains("descriptor 3"))
        #expect(try strata("check", Self.sma, "--isolation", "thread").status == 2)
    }
}
