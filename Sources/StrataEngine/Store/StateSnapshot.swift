import Foundation
import StrataRuntime

/// An instance's saved `state` as the store keeps it: the bytes, the script version that saved
/// them, and the last journaled tick the instance had handled when they were taken (replay
/// starts after it).
public struct StateSnapshot: Sendable, Equatable {
    /// Why the engine took it.
    public enum Reason: String, Sendable, CaseIterable {
        /// The engine's regular round (`--snapshot-interval`).
        case periodic
        /// A graceful stop of the engine.
        case stop
        /// The instance was switched off.
        case off
        /// Just before a new script version was swapped in.
        case reload
    }

    /// Assigned by the store, increasing with insertion (0 before it is stored).
    public var id: Int64
    public var instanceID: String
    public var version: String
    /// The `seq` of the last journaled tick the instance had handled (0: none).
    public var tickSeq: Int64
    public var takenAt: Date
    public var reason: Reason
    public var bytes: [UInt8]

    public init(
        id: Int64 = 0, instanceID: String, version: String, tickSeq: Int64, takenAt: Date, reason: Reason, bytes: [UInt8]
    ) {
        self.id = id
        self.instanceID = instanceID
        self.version = version
        self.tickSeq = tickSeq
        self.takenAt = takenAt
        self.reason = reason
        self.bytes = bytes
    }

    /// What the runtime restores.
    public var saved: SavedState { SavedState(bytes: bytes, version: version) }
}
