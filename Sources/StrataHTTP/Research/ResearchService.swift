import Foundation
import StrataEngine
import StrataIsolation

/// What the research endpoints work with: the runs (nil when the store keeps none), the data
/// folder requests name files in, and the `strata` program that runs each backtest as a worker.
public struct ResearchService: Sendable {
    public let runs: ResearchRuns?
    public let dataFolder: DataFolder
    public let workerExecutable: String

    public init(runs: ResearchRuns?, dataFolder: DataFolder, workerExecutable: String) {
        self.runs = runs
        self.dataFolder = dataFolder
        self.workerExecutable = workerExecutable
    }

    /// The runs. - Throws: 503 when the store keeps no research runs.
    func requireRuns() throws -> ResearchRuns {
        guard let runs else { throw APIError(.serviceUnavailable, field: "", "this server's store keeps no research runs") }
        return runs
    }
}
