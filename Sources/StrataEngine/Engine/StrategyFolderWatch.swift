import Foundation
import Synchronization

/// Watches the strategies folder on a thread of its own and calls `onSave` as soon as a `.lua`
/// file is saved, so the engine loop need not poll the folder. The thread blocks in `poll(2)`,
/// looking up every quarter second only to see whether it should end (``stop()``).
final class StrategyFolderWatch: Sendable {
    private let stopped = Atomic(false)

    /// Starts watching `directory`; `onFailure` says once why it cannot (no inotify, no folder).
    init(directory: String, onSave: @escaping @Sendable () -> Void, onFailure: @escaping @Sendable (String) -> Void) {
        let thread = Thread { [self] in
            Thread.current.name = "strata-folder-watch"
            guard let watcher = DirectoryWatcher(directory: directory) else {
                return onFailure("cannot watch \(directory) for saves: they are picked up at the next resync only")
            }
            while !self.stopped.load(ordering: .relaxed) {
                if watcher.wait(milliseconds: 250), watcher.drain() { onSave() }
            }
        }
        thread.start()
    }

    /// Ends the thread (within a quarter second).
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }
}
