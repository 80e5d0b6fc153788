import CStrataLua
import Foundation

/// For one-shot commands (`check`, `backtest`): if a killed script stays stuck in C code that
/// cannot be interrupted in-process, report it as a CPU-limit failure and exit 1 instead of
/// hanging. (A long-running engine will run such scripts in worker processes instead.)
enum StuckCallGuard {
    /// Installs the handler; `json` chooses the report's form.
    static func install(json: Bool) {
        if json {
            strata_setstuckhandler(reportJSON)
        } else {
            strata_setstuckhandler(reportText)
        }
    }
}

private let stuckMessage = "cpu limit: the script is stuck in C code that cannot be interrupted (a Lua 5.4.4 limitation); stopped the process"

private func phaseName(_ phase: Int32) -> String {
    switch phase {
    case Int32(STRATA_PHASE_LOAD.rawValue): return "load"
    case Int32(STRATA_PHASE_RENDER.rawValue): return "render"
    case Int32(STRATA_PHASE_TICK.rawValue), Int32(STRATA_PHASE_RELOAD.rawValue): return "tick"
    default: return "init"
    }
}

private func reportJSON(_ phase: Int32) {
    let line =
        #"{"error":{"kind":"cpu_limit","line":null,"message":"\#(stuckMessage)","traceback":null},"ok":false,"orders":0,"phase":"\#(phaseName(phase))","signals":0,"ticks":0}"#
        + "\n"
    FileHandle.standardOutput.write(Data(line.utf8))
    _exit(1)
}

private func reportText(_ phase: Int32) {
    FileHandle.standardError.write(Data("FAIL (\(phaseName(phase))): cpu_limit\n  \(stuckMessage)\n".utf8))
    _exit(1)
}
