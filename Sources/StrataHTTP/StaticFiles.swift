import Foundation
import Hummingbird

/// Files served from one folder: a request path is percent-decoded, refused if any segment is
/// empty, `.` or `..` (or holds a backslash or NUL), then resolved (symbolic links included) and
/// served only if it is still inside the folder. Directories are not listed.
struct StaticFiles: Sendable {
    /// The folder, resolved.
    let root: URL

    init(root: URL) {
        self.root = root.standardizedFileURL.resolvingSymlinksInPath()
    }

    /// The file for `relativePath` (percent-encoded, as in the URL), or nil.
    func file(at relativePath: Substring) -> URL? {
        guard let decoded = String(relativePath).removingPercentEncoding else { return nil }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.isEmpty, segments.allSatisfy({ Self.isSafe($0) }) else { return nil }
        let candidate = segments.reduce(root) { $0.appendingPathComponent(String($1)) }.resolvingSymlinksInPath()
        guard candidate.path.hasPrefix(root.path + "/") else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return candidate
    }

    private static func isSafe(_ segment: Substring) -> Bool {
        !segment.isEmpty && segment != "." && segment != ".." && !segment.contains("\\") && !segment.contains("\0")
    }

    /// The file as a response with its content type.
    /// - Throws: 404 when it cannot be read.
    func response(for relativePath: Substring, cacheControl: String) throws -> Response {
        guard let url = file(at: relativePath), let data = FileManager.default.contents(atPath: url.path) else {
            throw APIError.notFound("path", "no such file")
        }
        return Response(
            status: .ok, headers: [.contentType: Self.contentType(of: url.pathExtension), .cacheControl: cacheControl],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The content type of a file extension (modules must be `text/javascript` for browsers to run them).
    static func contentType(of fileExtension: String) -> String {
        switch fileExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json", "map": "application/json; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "txt": "text/plain; charset=utf-8"
        case "woff2": "font/woff2"
        default: "application/octet-stream"
        }
    }
}
