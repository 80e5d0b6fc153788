import Foundation
import StrataRuntime
import Testing

@testable import StrataEngine

@Suite struct ReconcilerTests {
    func record(_ id: String, _ mode: InstanceMode, config: [String: JSONValue] = ["fast": .integer(5)], type: String = "sma") -> InstanceRecord {
        InstanceRecord(
            identity: InstanceIdentity(id: id, strategyType: type, account: "paper", market: "X/USD"),
            mode: mode, config: config, createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }

    func held(_ record: InstanceRecord, version: String = "v1", failed: Bool = false) -> RuntimeSnapshot {
        RuntimeSnapshot(identity: record.identity, mode: record.mode, config: record.config, version: version, failed: failed)
    }

    /// Applies actions the way the engine would if every one succeeded.
    func apply(_ actions: [ReconcileAction], to running: [String: RuntimeSnapshot]) -> [String: RuntimeSnapshot] {
        var running = running
        for action in actions {
            switch action {
            case .load(let r, let version): running[r.id] = held(r, version: version)
            case .unload(let id): running[id] = nil
            case .setMode(let id, let mode): running[id]?.mode = mode
            case .reconfigure(let id, let config): running[id]?.config = config
            case .reload(let id, let version): running[id]?.version = version
            }
        }
        return running
    }

    @Test func loadsWhatShouldRunAndUnloadsWhatShouldNot() {
        let a = record("a", .observe)
        let b = record("b", .off)
        let c = record("c", .active)
        let running = ["b": held(record("b", .observe)), "gone": held(record("gone", .active))]
        let actions = Reconciler.plan(desired: [a, b, c], running: running, versions: ["sma": "v1"])
        #expect(actions == [.load(a, version: "v1"), .unload(id: "b"), .load(c, version: "v1"), .unload(id: "gone")])
    }

    @Test func switchesModeInPlaceAndAppliesConfigAndNewVersions() {
        let desired = record("a", .active, config: ["fast": .integer(7)])
        let running = ["a": held(record("a", .observe), version: "v1")]
        let actions = Reconciler.plan(desired: [desired], running: running, versions: ["sma": "v2"])
        #expect(actions == [.reload(id: "a", version: "v2"), .setMode(id: "a", .active), .reconfigure(id: "a", ["fast": .integer(7)])])
    }

    @Test func isIdempotent() {
        let desired = [record("a", .active), record("b", .observe, config: [:]), record("c", .off)]
        var running: [String: RuntimeSnapshot] = ["c": held(record("c", .active)), "b": held(record("b", .active))]
        let versions = ["sma": "v3"]
        running = apply(Reconciler.plan(desired: desired, running: running, versions: versions), to: running)
        #expect(Reconciler.plan(desired: desired, running: running, versions: versions).isEmpty)
    }

    @Test func aFailedInstanceStaysFailedUntilItsConfigOrScriptChanges() {
        let desired = record("a", .active)
        let failed = ["a": held(desired, version: "v1", failed: true)]
        #expect(Reconciler.plan(desired: [desired], running: failed, versions: ["sma": "v1"]).isEmpty)
        // A new version of the script: retry.
        #expect(
            Reconciler.plan(desired: [desired], running: failed, versions: ["sma": "v2"])
                == [.unload(id: "a"), .load(desired, version: "v2")])
        // A new config: retry.
        let reconfigured = record("a", .active, config: ["fast": .integer(9)])
        #expect(
            Reconciler.plan(desired: [reconfigured], running: failed, versions: ["sma": "v1"])
                == [.unload(id: "a"), .load(reconfigured, version: "v1")])
        // Switched off: dropped, so switching on again loads afresh.
        #expect(Reconciler.plan(desired: [record("a", .off)], running: failed, versions: ["sma": "v1"]) == [.unload(id: "a")])
    }

    @Test func aStrategyWithoutAGoodVersionIsNotLoaded() {
        let desired = record("a", .observe, type: "missing")
        #expect(Reconciler.plan(desired: [desired], running: [:], versions: ["sma": "v1"]).isEmpty)
        // A running instance whose script broke keeps running its old version.
        let running = ["a": held(desired, version: "v1")]
        #expect(Reconciler.plan(desired: [desired], running: running, versions: [:]).isEmpty)
    }
}
