#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads OHLCV bars from CSV files as people have them.
///
/// The file starts with a header line naming the columns (see `BarCSVHeader`): a time column
/// (`time`, `timestamp`, `date`, `datetime`, `t`, or an unnamed first column) and `open`,
/// `high`, `low`, `close`, optionally `volume` (0 when absent or empty), in any order and case;
/// other columns are ignored. Then one bar per line, oldest first. Times are read by
/// `BarTimestampParser` (ISO dates and date-times, Unix seconds or milliseconds).
///
/// Also accepted: a UTF-8 byte-order mark, LF, CRLF or CR line ends, blank lines (skipped),
/// RFC 4180 quoted fields, `;` or tab as the delimiter when the header has no comma.
///
/// Refused, with the line and column at fault: a missing column, a field count that differs
/// from the header's, a value that is not a finite number, a negative volume, a high below the
/// low, an open or close outside [low, high], a time not after the previous row's, and a file
/// without rows. The bytes are parsed in place, without a string per line or field.
///
/// A gzip-compressed file (`.csv.gz`, or any file starting with gzip's magic bytes) is read
/// as its contents; a folder is read as one series (`BarFolderReader`).
public struct BarCSVReader {
    /// Reads the bars of the file (or folder of files) at `path`.
    /// - Throws: `BarFileError` naming the path, and the line and column at fault.
    public static func read(path: String) throws(BarFileError) -> [Bar] {
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            return try BarFolderReader.read(folder: path)
        }
        return try readFile(path: path)
    }

    /// Reads one file, inflating it when it is gzip-compressed.
    static func readFile(path: String) throws(BarFileError) -> [Bar] {
        var bytes = try readBytes(atPath: path)
        if GzipBytes.isCompressed(bytes) { bytes = try GzipBytes.inflate(bytes, source: path) }
        return try parse(bytes, source: path)
    }

    /// Parses the bars of a CSV file's contents.
    /// - Parameter source: the file's name or path, used in errors.
    /// - Throws: `BarFileError` naming the source, and the line and column at fault.
    public static func parse(_ bytes: some Collection<UInt8>, source: String) throws(BarFileError) -> [Bar] {
        let result =
            bytes.withContiguousStorageIfAvailable { parse(buffer: $0, source: source) }
            ?? Array(bytes).withUnsafeBufferPointer { parse(buffer: $0, source: source) }
        return try result.get()
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>, source: String) -> Result<[Bar], BarFileError> {
        Result { () throws(BarFileError) in
            guard let bytes = buffer.baseAddress, !buffer.isEmpty else {
                throw BarFileError(path: source, message: emptyFileMessage)
            }
            var reader = BarCSVRowReader(bytes: bytes, count: buffer.count, source: source)
            return try reader.readAll()
        }
    }

    static let emptyFileMessage =
        "the file is empty: a bar file has a header line such as "
        + "'time,open,high,low,close,volume' and then one line per bar"
}

/// The whole file, read with POSIX calls so that a failure can say why (`strerror`).
private func readBytes(atPath path: String) throws(BarFileError) -> [UInt8] {
    func failure() -> BarFileError {
        BarFileError(path: path, message: "cannot read the file: " + String(cString: strerror(errno)))
    }
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw failure() }
    defer { close(descriptor) }
    var status = stat()
    let expectedSize = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
    // One byte more than expected, so the end is seen without growing the buffer.
    var bytes = [UInt8](repeating: 0, count: max(expectedSize, 0) + 1)
    var length = 0
    while true {
        if length == bytes.count {
            bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 1 << 16)))
        }
        let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + length, $0.count - length) }
        if got < 0 {
            if errno == EINTR { continue }
            throw failure()
        }
        if got == 0 { break }
        length += got
    }
    bytes.removeLast(bytes.count - length)
    return bytes
}
