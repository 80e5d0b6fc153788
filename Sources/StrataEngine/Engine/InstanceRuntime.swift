import StrataRuntime

/// What the engine reads and changes on a running instance, wherever it runs: a
/// ``StrategyInstance`` in this process, or a ``RemoteInstance`` whose Lua state lives in a
/// worker process. Ticks are not here: they go in rounds, through the ``TickScheduler`` or the
/// ``WorkerFleet``.
protocol InstanceRuntime: AnyObject {
    var identity: InstanceIdentity { get }
    /// The content hash of the script version it runs.
    var scriptVersion: String { get }
    var ticksProcessed: Int { get }
    /// The time of the last tick it handled.
    var clock: Double { get }
    var memoryUsed: Int { get }
    var signalsRecorded: Int { get }
    var signals: [Signal] { get }
    var log: LogBuffer { get }
    func discardKeptSignals()
    func discardKeptLogLines()
    func setMode(_ mode: InstanceMode)
    func reconfigure(_ config: [String: JSONValue]) throws(StrategyError)
    func reload(_ script: StrategyScript) throws(StrategyError)
    func render() throws(StrategyError) -> JSONValue
}

extension StrategyInstance: InstanceRuntime {
    var scriptVersion: String { script.version }
}
