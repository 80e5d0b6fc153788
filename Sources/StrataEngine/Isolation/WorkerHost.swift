import CStrataIsolation
import Foundation
import StrataIsolation
import StrataRuntime

/// Why a worker that hosts instances is gone, and whose call it was in (from the call board).
struct WorkerDeath: Error {
    /// The slot of the instance whose call was under way, or nil when it died between calls.
    var culprit: Int?
    var failure: WorkerFailure
}

/// The engine's end of one worker process that hosts instances: the process, its channel, the
/// call board it writes, and the conversation — send one request, answer the broker questions
/// that come while scripts trade, take the reply — watched all along: a worker that dies is
/// noticed at once (its channel closes), one whose call runs past its budget twice over without
/// a word is killed, and the board says whose call it was. Used by one thread at a time.
final class WorkerHost {
    let process: WorkerProcess
    private let board: UnsafeMutablePointer<strata_call_board>
    /// The worker's script thread (its CPU time tells a busy worker from a blocked one).
    private let thread: Int32
    private let coder = HostCoder()
    /// Script versions the worker holds.
    var scripts: Set<String> = []
    /// The slots of the instances it hosts.
    var slots: Set<Int> = []
    /// How long host work between two calls may take before the worker counts as wedged.
    static let betweenCalls: Duration = .seconds(5)
    /// The longest any one request may take, whatever the board says.
    static let requestCeiling: Duration = .seconds(300)

    /// Starts a worker, hands it the limits, and waits for its greeting.
    static func start(executable: String, confinement: WorkerConfinement, limits: StrategyLimits, faults: Bool) throws(WorkerDeath) -> WorkerHost {
        var board: UnsafeMutablePointer<strata_call_board>?
        let boardFD = strata_board_create(&board)
        guard boardFD >= 0, let board else {
            throw WorkerDeath(culprit: nil, failure: .unavailable("cannot create a call board: \(String(cString: strerror(errno)))"))
        }
        defer { close(boardFD) }
        let process: WorkerProcess
        do {
            process = try WorkerProcess.start(executable: executable, arguments: ["strata", "worker"] + confinement.arguments, board: boardFD)
            try process.channel.send(Array(InstanceHostWorker.request(limits: limits, faults: faults).encoded().utf8))
            let hello = try process.channel.receive(until: .now + .seconds(30))
            guard let greeting = JSONValue(parsing: String(decoding: hello, as: UTF8.self)),
                let thread = greeting["hello"]?["thread"]?.intValue.flatMap(Int32.init(exactly:))
            else {
                strata_board_unmap(board)
                throw WorkerDeath(culprit: nil, failure: .unavailable("the worker did not greet"))
            }
            return WorkerHost(process: process, board: board, thread: thread)
        } catch let death as WorkerDeath {
            throw death
        } catch {
            strata_board_unmap(board)
            throw WorkerDeath(culprit: nil, failure: .unavailable("cannot start a worker process: \(error)"))
        }
    }

    private init(process: WorkerProcess, board: UnsafeMutablePointer<strata_call_board>, thread: Int32) {
        self.process = process
        self.board = board
        self.thread = thread
    }

    deinit {
        process.kill()
        process.wait()
        strata_board_unmap(board)
    }

    /// Sends `request` and returns the worker's reply; `broker` answers the questions the
    /// worker asks meanwhile (nil: the question is refused).
    func converse(_ request: HostRequest, broker: (HostReply) -> HostBrokerAnswer?) -> Result<HostReply, WorkerDeath> {
        do {
            try process.channel.send(coder.frame(request))
        } catch {
            return .failure(died())
        }
        var seen: UInt64 = .max
        var watch = WorkerWatch(budget: Self.betweenCalls, now: .now, cpu: .zero)
        let ceiling = ContinuousClock.now + Self.requestCeiling
        while true {
            // The board is the worker's to write: one that keeps it moving (or keeps asking the
            // broker) without ever answering is ended all the same.
            if ContinuousClock.now > ceiling {
                process.kill()
                process.wait()
                return .failure(WorkerDeath(culprit: nil, failure: .stuck("did not answer within \(Self.requestCeiling)")))
            }
            let frame: [UInt8]
            do {
                frame = try process.channel.receive(until: .now + WorkerWatch.slice)
            } catch .timedOut {
                var slot: Int64 = -1
                var budget: UInt64 = 0
                let sequence = strata_board_read(board, &slot, &budget)
                let cpu = process.cpuTime(thread: thread) ?? .zero
                if sequence != seen {
                    seen = sequence
                    watch = WorkerWatch(budget: slot >= 0 ? .nanoseconds(Int64(clamping: budget)) : Self.betweenCalls, now: .now, cpu: cpu)
                }
                if let why = watch.verdict(now: .now, cpu: cpu) {
                    process.kill()
                    process.wait()
                    return .failure(WorkerDeath(culprit: slot >= 0 ? Int(slot) : nil, failure: .stuck(why)))
                }
                continue
            } catch {
                return .failure(died())
            }
            guard let reply = coder.message(HostReply.self, from: frame) else {
                process.kill()
                return .failure(died(.unavailable("the worker sent a message that is not part of the protocol")))
            }
            switch reply {
            case .order, .cancel:
                let answer = broker(reply) ?? HostBrokerAnswer(order: nil, rejection: "refused: not an instance of this worker", view: HostView(slot: -1))
                do {
                    try process.channel.send(coder.frame(HostRequest.brokerAnswer(answer)))
                } catch {
                    return .failure(died())
                }
            default:
                return .success(reply)
            }
        }
    }

    /// The death of a worker whose channel closed (or that broke the protocol): reaped, with
    /// the slot the board names.
    private func died(_ failure: WorkerFailure? = nil) -> WorkerDeath {
        var slot: Int64 = -1
        var budget: UInt64 = 0
        _ = strata_board_read(board, &slot, &budget)
        // A worker that closed its channel but lives on is ended (a dead one is unaffected).
        process.kill()
        let exit = process.wait()
        return WorkerDeath(culprit: slot >= 0 ? Int(slot) : nil, failure: failure ?? WorkerFailure(exit: exit, killed: process.killed))
    }
}
