import Foundation

/// Where the server keeps its research runs (``ResearchRun``): backtests and optimizations, their
/// results and reports. Same rules as ``InstanceStore``: thread-safe, one transaction per call,
/// ``StoreError`` on failure. Research runs are not desired state: writing them moves no change
/// token and wakes no engine.
public protocol ResearchStore: Sendable {
    /// Inserts `run`, or replaces the stored run with its id; then keeps at most
    /// ``ResearchRun/keptPerKind`` runs of its kind (the oldest finished ones go).
    func saveResearchRun(_ run: ResearchRun) throws

    /// Runs of `kind`, of the instance `instanceID` only when given, newest first, at most
    /// `limit`; without `detail` and `report`.
    func researchRuns(kind: ResearchRun.Kind, instanceID: String?, limit: Int) throws -> [ResearchRun]

    /// The run `id` with everything it holds, or nil.
    func researchRun(id: String) throws -> ResearchRun?

    /// The HTML report of run `id` (nil: no such run, or it has no report).
    func researchReport(id: String) throws -> String?

    /// Deletes run `id`. - Returns: whether there was one.
    @discardableResult
    func deleteResearchRun(id: String) throws -> Bool

    /// Ends every run still `queued` or `running` as `failed` with `message` (a server calls it
    /// when it starts: nothing it did not finish stays running forever).
    /// - Returns: how many runs it ended.
    @discardableResult
    func failUnfinishedResearchRuns(message: String, at date: Date) throws -> Int
}
