import StrataRuntime

/// An instance whose Lua state lives in a worker process, as the engine sees it: what it was
/// loaded with (to load it again in a fresh worker), what the engine counts of it (ticks, the
/// last tick's time) and what its worker reported (memory, log lines, signals). Changes go to
/// its worker through the ``WorkerFleet`` and wait for the answer. Touched by the engine's
/// thread, and during a round by the one thread that talks to its worker.
final class RemoteInstance: InstanceRuntime {
    let identity: InstanceIdentity
    private(set) var script: StrategyScript
    private(set) var mode: InstanceMode
    private(set) var config: [String: JSONValue]
    /// The slot its worker knows it by (stable across worker restarts).
    let slot: Int
    /// The fleet's index of the worker that hosts it.
    var worker: Int
    unowned let fleet: WorkerFleet
    var ticksProcessed = 0
    var clock: Double = 0
    /// The price of the last tick it handled (an order must name it or one of the round's).
    var lastPrice: Double?
    /// What its worker measured (see ``WorkerFleet/refreshStats()``).
    var cpuSeconds: Double = 0
    var latencyP50: Double?
    var latencyP99: Double?
    var memoryUsed = 0
    var signalsRecorded = 0
    var signals: [Signal] = []
    var log: LogBuffer
    /// The view of the broker its worker was last sent.
    var sentView: HostView?
    /// Where its next load resumes (used once, by the load that follows).
    var resume: ResumePoint?
    /// Whether its last load resumed a saved state.
    var resumed = false

    init(
        identity: InstanceIdentity, script: StrategyScript, mode: InstanceMode, config: [String: JSONValue], slot: Int, worker: Int,
        fleet: WorkerFleet, logCapacity: Int
    ) {
        self.identity = identity
        self.script = script
        self.mode = mode
        self.config = config
        self.slot = slot
        self.worker = worker
        self.fleet = fleet
        self.log = LogBuffer(capacity: logCapacity)
    }

    var scriptVersion: String { script.version }

    /// What its worker needs to (re)build it.
    func loadRequest(view: HostView) -> HostLoad {
        HostLoad(slot: slot, identity: identity, version: script.version, mode: mode, config: config, view: view, resume: resume.map(HostResume.init))
    }

    func discardKeptSignals() { signals.removeAll() }
    func discardKeptLogLines() { log.removeKept() }

    func setMode(_ mode: InstanceMode) {
        self.mode = mode
        fleet.send(.mode(slot: slot, mode: mode), to: self)
    }

    func reconfigure(_ config: [String: JSONValue]) throws(StrategyError) {
        try fleet.change(self, .configure(slot: slot, config: config), phase: .config)
        self.config = config
    }

    func reload(_ script: StrategyScript) throws(StrategyError) {
        try fleet.change(self, .reload(slot: slot, script: HostScript(script)), phase: .reload)
        self.script = script
    }

    func render() throws(StrategyError) -> JSONValue {
        try fleet.render(self)
    }

    /// Takes what its worker reported after a round.
    func absorb(lines: HostLines) {
        for line in lines.lines { log.append(line) }
    }

    func absorb(signals new: HostSignals) {
        signalsRecorded += new.signals.count
        signals += new.signals
        if signals.count > 2 * log.capacity { signals.removeFirst(signals.count - log.capacity) }
    }
}
