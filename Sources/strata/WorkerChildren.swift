import Foundation

/// This process's child processes, found in `/proc`: the worker processes `strata serve`
/// started, each the leader of its own process group. Used when the process must end without
/// its engine's help (``StopWatchdog``), so that no worker outlives it.
enum WorkerChildren {
    /// The ids of this process's children now.
    static func ids() -> [pid_t] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
                return nil
            }
            return parentID(stat: stat) == me ? pid : nil
        }
    }

    /// The parent id in a `/proc/PID/stat` line: the second field after the command name,
    /// which is in parentheses and may itself hold spaces and parentheses.
    static func parentID(stat: String) -> pid_t? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    /// Kills every child and its process group with SIGKILL.
    /// - Returns: how many children there were.
    @discardableResult
    static func killAll() -> Int {
        let children = ids()
        for pid in children {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
        return children.count
    }
}
