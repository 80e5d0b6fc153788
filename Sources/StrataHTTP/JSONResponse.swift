import Hummingbird
import StrataRuntime

/// JSON answers: compact, sorted keys, `application/json; charset=utf-8`, never cached.
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let buffer = ByteBuffer(string: value.encoded())
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: buffer)
        )
    }
}
