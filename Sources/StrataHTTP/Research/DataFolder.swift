import Foundation

/// The folder of market data the server backtests on (`strata serve --data-dir`): its bar files
/// (`.csv`, `.csv.gz`, `.txt`) and its folders of them (read as one series). A request names one
/// of the listed entries; it never gives a path, so nothing outside the folder can be read: a name
/// is only ever looked up in the listing, which holds no `/`, no hidden names, and no symbolic
/// link whose target lies outside the folder.
public struct DataFolder: Sendable {
    /// One data file or folder of them.
    public struct Entry: Sendable, Equatable {
        /// The name within the folder (what a request gives).
        public var name: String
        /// The market a backtest on it trades by default: the name without `.gz` and its extension.
        public var market: String
        /// Bytes (a folder: the sum of its data files).
        public var size: Int64
        /// Whether it is a folder of files read as one series.
        public var isFolder: Bool
    }

    /// The most entries listed.
    public static let maxEntries = 1000

    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// Whether the folder exists.
    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The entries, sorted by name (a missing folder has none).
    public func list() -> [Entry] {
        guard let realRoot = Self.realPath(root.path),
            let names = try? FileManager.default.contentsOfDirectory(atPath: root.path)
        else { return [] }
        var entries: [Entry] = []
        for name in names.sorted() where entries.count < Self.maxEntries {
            guard !name.hasPrefix("."), !name.contains("/"), let real = Self.realPath(root.appendingPathComponent(name).path),
                Self.isInside(real, realRoot)
            else { continue }
            var status = stat()
            guard stat(real, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFREG where Self.isDataFile(name):
                entries.append(Entry(name: name, market: Self.market(name), size: Int64(status.st_size), isFolder: false))
            case S_IFDIR:
                guard let size = Self.folderSize(real, root: realRoot) else { continue }
                entries.append(Entry(name: name, market: Self.market(name), size: size, isFolder: true))
            default: continue
            }
        }
        return entries
    }

    /// The path of the listed entry `name`, or nil when no entry has that name.
    public func path(of name: String) -> String? {
        guard list().contains(where: { $0.name == name }) else { return nil }
        return root.appendingPathComponent(name).path
    }

    /// Whether a file name is a bar file's: `.csv`, `.csv.gz` or `.txt`.
    static func isDataFile(_ name: String) -> Bool {
        name.hasSuffix(".csv") || name.hasSuffix(".csv.gz") || name.hasSuffix(".txt")
    }

    /// The market a data file stands for (`GOOG.csv.gz` → `GOOG`).
    static func market(_ name: String) -> String {
        var url = URL(fileURLWithPath: name)
        if url.pathExtension == "gz" { url = url.deletingPathExtension() }
        return url.deletingPathExtension().lastPathComponent
    }

    /// The bytes of a folder's data files (those the folder reader reads), or nil when it has
    /// none or one of them lies outside the data folder.
    private static func folderSize(_ folder: String, root: String) -> Int64? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        var total: Int64 = 0
        var files = 0
        for name in names where !name.hasPrefix(".") && (name.hasSuffix(".csv") || name.hasSuffix(".csv.gz")) {
            guard let real = realPath(folder + "/" + name) else { continue }
            var status = stat()
            guard stat(real, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            guard isInside(real, root) else { return nil }
            total += Int64(status.st_size)
            files += 1
        }
        return files > 0 ? total : nil
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func isInside(_ path: String, _ root: String) -> Bool {
        path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }
}
