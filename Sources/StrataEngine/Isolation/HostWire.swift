import Foundation
import StrataIsolation
import StrataRuntime

/// The messages between the engine and a worker process that hosts instances, as JSON frames on
/// the worker's channel. The engine sends one ``HostRequest`` and waits for one ``HostReply``;
/// while a call of the worker trades, the worker asks ``HostReply/order(_:)`` or
/// ``HostReply/cancel(slot:id:)`` and the engine answers with ``HostRequest/brokerAnswer(_:)``
/// before the final reply. Instances are named by slot numbers the engine hands out: the
/// worker never chooses whose state it touches.
enum HostRequest: Codable {
    /// Load instances (the scripts they run come first, once per worker).
    case load(scripts: [HostScript], instances: [HostLoad])
    case unload(slots: [Int])
    case mode(slot: Int, mode: InstanceMode)
    case configure(slot: Int, config: [String: JSONValue])
    case reload(slot: Int, script: HostScript)
    case render(slot: Int)
    /// One tick round: each instance of a tick's market gets its market's ticks, in order.
    case round(ticks: [Tick], views: [HostView])
    /// Each instance's memory and timing, for the status save.
    case stats
    /// The saved `state` of each instance (see ``StrategyInstance/saveState()``).
    case save(slots: [Int])
    case brokerAnswer(HostBrokerAnswer)
}

/// What a worker answers (or asks, for the broker).
enum HostReply: Codable {
    /// After a load, configure or reload: the slots that failed (empty: all is well).
    case failures([HostFailure])
    /// After a load: the slots that failed, and those whose saved state could not be restored
    /// (they started over with `init()`; `notes` says why).
    case loaded(failures: [HostFailure], notes: [HostFailure])
    case saved([HostSaved])
    case rendered(widgets: JSONValue?, failure: HostFailure?)
    case roundDone(HostRoundResult)
    case stats([HostStats])
    case order(HostOrder)
    case cancel(slot: Int, id: String)
    case done
}

/// A script as the worker keeps it (by version).
struct HostScript: Codable {
    var name: String
    var source: String
    var chunkName: String
    /// The modules `require` may load (a worker never reads the modules folder).
    var modules: [String: String]?
    var moduleFolder: String?

    init(_ script: StrategyScript) {
        name = script.name
        source = script.source
        chunkName = script.chunkName
        modules = script.modules.isEmpty ? nil : script.modules
        moduleFolder = script.moduleFolder
    }

    var script: StrategyScript {
        StrategyScript(name: name, source: source, chunkName: chunkName, modules: modules ?? [:], moduleFolder: moduleFolder ?? "lib")
    }
}

/// One instance to load.
struct HostLoad: Codable {
    var slot: Int
    var identity: InstanceIdentity
    var version: String
    var mode: InstanceMode
    var config: [String: JSONValue]
    var view: HostView
    /// Where it resumes: a saved state and the ticks journaled since (nil: `init()`).
    var resume: HostResume?
}

/// A saved state to restore and the journaled ticks to catch up on.
struct HostResume: Codable {
    var state: Data
    var version: String
    var ticks: [Tick]
    var truncated: Bool

    init(_ point: ResumePoint) {
        state = Data(point.saved.bytes)
        version = point.saved.version
        ticks = point.ticks
        truncated = point.truncated
    }

    var saved: SavedState { SavedState(bytes: [UInt8](state), version: version) }
}

/// One instance's saved state (nil: `on_save()` opted out), or why it could not be saved.
struct HostSaved: Codable {
    var slot: Int
    var state: Data?
    var version: String
    var error: JSONValue?
}

/// Why an instance failed in a worker, and how many of the round's ticks it handled first.
struct HostFailure: Codable {
    var slot: Int
    var error: JSONValue
    var ticks: Int

    init(slot: Int, error: StrategyError, ticks: Int = 0) {
        self.slot = slot
        self.error = error.wire
        self.ticks = ticks
    }

    var strategyError: StrategyError {
        StrategyError(wire: error) ?? StrategyError(kind: .crashed, phase: .tick, message: "the worker sent an unreadable error")
    }
}

/// What a round produced besides ticks: failures, and the log lines and signals written.
struct HostRoundResult: Codable {
    var failures: [HostFailure] = []
    var logs: [HostLines] = []
    var signals: [HostSignals] = []
}

/// New log lines of one instance; `appended` is its log's running count.
struct HostLines: Codable {
    var slot: Int
    var lines: [LogLine]
    var appended: Int
}

/// New observe-mode signals of one instance; `recorded` is its running count.
struct HostSignals: Codable {
    var slot: Int
    var signals: [Signal]
    var recorded: Int
}

/// One instance's measurements.
struct HostStats: Codable {
    var slot: Int
    var memory: Int
    var cpuSeconds: Double
    var p50: Double?
    var p99: Double?
}

/// An order a script places; `price` and `time` are the tick it was handling, which the engine
/// checks against the ticks it delivered.
struct HostOrder: Codable {
    var slot: Int
    var request: OrderRequest
    var price: Double?
    var time: Double
}

/// The broker's answer to a ``HostOrder`` or a cancel, with the instance's fresh view.
struct HostBrokerAnswer: Codable {
    var order: Order?
    var rejection: String?
    var view: HostView
    /// The risk rule behind `rejection` (the script's instance records it as a signal).
    var rule: RiskRule?
}

/// What a script may read of the broker, as of the round's start (and after its own orders):
/// its position and book, its account's cash, its open orders.
struct HostView: Codable, Equatable {
    var slot: Int
    var position: Double = 0
    var averagePrice: Double = 0
    var realised: Double = 0
    var fees: Double = 0
    var cash: Double = 0
    var orders: [Order] = []

    /// Profit at `price`, computed as ``PositionBook/pnl(at:)`` does.
    func pnl(at price: Double?) -> Double {
        guard let price, position != 0 else { return realised - fees }
        return realised + (price - averagePrice) * position - fees
    }
}

/// Encodes and decodes frames (one coder pair per side of a channel: not shared between threads).
struct HostCoder {
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    func frame<T: Encodable>(_ message: T) -> [UInt8] {
        (try? Array(encoder.encode(message))) ?? []
    }

    func message<T: Decodable>(_ type: T.Type, from frame: [UInt8]) -> T? {
        try? decoder.decode(type, from: Data(frame))
    }
}
