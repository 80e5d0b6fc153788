import Dispatch

/// Runs blocking work — SQLite calls, file reads — on a dispatch queue instead of Swift's
/// cooperative thread pool, which has one thread per core: a slow store read there would stall
/// every other request (and every other task of the process) until it finished.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "strata.http.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: body)) }
        }
    }
}
