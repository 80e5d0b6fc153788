import CStrataLua
import Foundation

/// The process-wide deadline watchdog (one thread that stops calls past their deadline).
public enum LuaWatchdog {
    /// Why the watchdog could not start, or nil while it runs (or has not been needed yet).
    /// Without it, a call that overruns its deadline is not stopped.
    public static var startFailure: String? {
        let code = strata_watchdog_start_error()
        guard code != 0 else { return nil }
        return "the deadline watchdog could not start: \(String(cString: strerror(code))) (errno \(code))"
    }
}
