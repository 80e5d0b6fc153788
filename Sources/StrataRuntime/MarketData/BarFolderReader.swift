#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A folder of bar files read as one series, the way data is often kept: one file per day
/// (or month), named so that their order by name is their order in time
/// (`2024-01-02.csv`, `2024-01-03.csv.gz`, …).
///
/// Files ending in `.csv` or `.csv.gz` are read, by name; others and hidden files are skipped,
/// as are subfolders. Each file is read as `BarCSVReader` reads one (it has its own header).
/// Refused, naming the files: a folder with none, and a file whose first bar is not after the
/// previous file's last one (overlapping or misnamed files).
public enum BarFolderReader {
    /// The bars of every data file in `folder`, in name order, as one series.
    /// - Throws: `BarFileError` naming the folder or the file at fault.
    public static func read(folder: String) throws(BarFileError) -> [Bar] {
        let names = try dataFiles(in: folder)
        guard !names.isEmpty else {
            throw BarFileError(path: folder, message: "the folder has no .csv or .csv.gz files: put one bar file per day (or month) in it")
        }
        var bars: [Bar] = []
        var previous: (name: String, last: Double)?
        for name in names {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            let part = try BarCSVReader.readFile(path: path)
            if let previous, let first = part.first, first.time <= previous.last {
                throw BarFileError(
                    path: path,
                    message: "its first bar (\(UTCTime.iso8601(first.time))) is not after the last bar of \(previous.name) "
                        + "(\(UTCTime.iso8601(previous.last))): the files of a folder must not overlap, and their names must sort in time order")
            }
            if let last = part.last { previous = (name, last.time) }
            bars.append(contentsOf: part)
        }
        return bars
    }

    /// The names of the folder's data files, sorted.
    private static func dataFiles(in folder: String) throws(BarFileError) -> [String] {
        guard let directory = opendir(folder) else {
            throw BarFileError(path: folder, message: "cannot read the folder: " + String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard !name.hasPrefix("."), name.hasSuffix(".csv") || name.hasSuffix(".csv.gz") else { continue }
            var status = stat()
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            names.append(name)
        }
        return names.sorted()
    }
}
