#if canImport(Glibc)
    import Glibc
#endif

/// Watches a folder with inotify for saved files. Dispatch's file-system sources do not exist
/// on Linux, and a watch on a file itself is lost at the first save-by-rename, so the folder is
/// watched for close-after-write and moved-to events.
public final class DirectoryWatcher {
    private let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    /// Starts watching `directory`; nil when inotify is not available.
    public init?(directory: String) {
        #if canImport(Glibc)
            descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard descriptor >= 0 else { return nil }
            let events = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE)
            guard inotify_add_watch(descriptor, directory, events) >= 0 else {
                close(descriptor)
                return nil
            }
        #else
            return nil
        #endif
    }

    /// Watches `directory` too, on the same descriptor.
    /// - Returns: whether it could.
    @discardableResult
    public func watch(_ directory: String) -> Bool {
        #if canImport(Glibc)
            let events = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE)
            return inotify_add_watch(descriptor, directory, events) >= 0
        #else
            return false
        #endif
    }

    deinit {
        close(descriptor)
    }

    /// Waits up to `milliseconds` for events to be readable (without draining them).
    /// - Returns: whether some are.
    public func wait(milliseconds: Int32) -> Bool {
        #if canImport(Glibc)
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            return poll(&entry, 1, milliseconds) > 0 && entry.revents & Int16(POLLIN) != 0
        #else
            return false
        #endif
    }

    /// Drains the pending events without blocking.
    /// - Returns: whether any of them concerned a file ending in `suffix`.
    public func drain(suffix: String = ".lua") -> Bool {
        var relevant = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return relevant }
            var offset = 0
            while offset + 16 <= count {
                // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[]; }
                let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + 12, as: UInt32.self)) }
                let nameBytes = buffer[(offset + 16)..<min(offset + 16 + length, count)].prefix { $0 != 0 }
                if String(decoding: nameBytes, as: UTF8.self).hasSuffix(suffix) { relevant = true }
                offset += 16 + length
            }
        }
    }
}
