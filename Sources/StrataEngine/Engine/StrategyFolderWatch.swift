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
            // The modules folder and its subfolders as they are now (one made later is picked up
            // at the next resync): saving a module reloads the strategies that use it.
            let modules = URL(fileURLWithPath: directory).appendingPathComponent("lib")
            for folder in Self.folders(under: modules) { watcher.watch(folder.path) }
            while !self.stopped.load(ordering: .relaxed) {
                if watcher.wait(milliseconds: 250), watcher.drain() { onSave() }
            }
        }
        thread.start()
    }

    /// `root` and its subfolders, at most 64 of them (an absent folder gives none).
    private static func folders(under root: URL) -> [URL] {
        var found: [URL] = []
        var pending = [root]
        while let folder = pending.popLast(), found.count < 64 {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            found.append(folder)
            let items = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
            pending.append(contentsOf: items)
        }
        return found
    }

    /// Ends the thread (within a quarter second).
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }
}
