import CZlib

/// gzip-compressed bytes, inflated with the system's zlib.
enum GzipBytes {
    /// The two bytes every gzip stream starts with.
    static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The inflated contents of `bytes` (one gzip member after another, as `gzip -d` reads them).
    /// - Throws: `BarFileError` naming `source` when the data is corrupt or cut short, or when it
    ///   inflates past `limit` bytes.
    static func inflate(_ bytes: [UInt8], source: String, limit: Int = 1 << 33) throws(BarFileError) -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: a window of 32 KiB, and a gzip or zlib header detected automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw BarFileError(path: source, message: "cannot decompress the file: zlib did not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(bytes.count * 4, 1 << 16))
        var produced = 0
        var consumed = 0
        var status = Z_OK
        repeat {
            if produced == output.count {
                guard output.count < limit else {
                    throw BarFileError(path: source, message: "the file inflates past \(limit >> 30) GiB: not a bar file")
                }
                output.append(contentsOf: repeatElement(0, count: min(output.count, limit - output.count)))
            }
            status = bytes.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                    stream.avail_in = UInt32(input.count - consumed)
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(min(out.count - produced, Int(UInt32.max)))
                    let before = (stream.avail_in, stream.avail_out)
                    let result = CZlib.inflate(&stream, Z_NO_FLUSH)
                    consumed += Int(before.0 - stream.avail_in)
                    produced += Int(before.1 - stream.avail_out)
                    return result
                }
            }
            // The end of one gzip member: another may follow (concatenated files).
            if status == Z_STREAM_END, consumed < bytes.count {
                guard inflateReset(&stream) == Z_OK else { break }
                status = Z_OK
            }
        } while status == Z_OK || (status == Z_BUF_ERROR && produced == output.count)
        guard status == Z_STREAM_END else {
            let reason = status == Z_BUF_ERROR ? "the compressed data is cut short" : "the compressed data is corrupt"
            throw BarFileError(path: source, message: "cannot decompress the file: \(reason)")
        }
        output.removeLast(output.count - produced)
        return output
    }
}
