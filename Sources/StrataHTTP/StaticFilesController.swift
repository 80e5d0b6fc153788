import Foundation
import Hummingbird

/// The dashboard: `/` is its `index.html`, `/PATH` its files, `/vendor/chart.js/PATH` the
/// system's Chart.js. Any other `/api/…` path is a JSON 404 (never a file).
struct StaticFilesController<Context: RequestContext>: Sendable {
    let dashboard: StaticFiles
    let chartJS: StaticFiles

    func addRoutes(to router: Router<Context>) {
        router.get("/") { _, _ in try await Self.serve(dashboard, "index.html", cacheControl: "no-cache") }
        router.get("/api/**") { _, _ -> Response in throw APIError.notFound("path", "no such route") }
        router.get("/vendor/chart.js/**") { _, context in
            try await Self.serve(chartJS, Self.rest(context), cacheControl: "max-age=86400")
        }
        router.get("/**") { _, context in
            try await Self.serve(dashboard, Self.rest(context), cacheControl: "no-cache")
        }
    }

    static func serve(_ files: StaticFiles, _ path: Substring, cacheControl: String) async throws -> Response {
        let path = String(path)
        return try await BlockingWork.run { try files.response(for: path[...], cacheControl: cacheControl) }
    }

    /// The part of the path the `**` matched.
    static func rest(_ context: Context) -> Substring {
        context.parameters.getCatchAll().joined(separator: "/")[...]
    }
}
