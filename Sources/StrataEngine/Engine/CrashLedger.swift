import Foundation

/// The crashes and wedges of worker processes, by the strategy version whose call it was: a
/// version that crashes workers again and again is quarantined (as Kubernetes stops restarting
/// a pod in a crash loop), and an instance that crashed one is restarted only after a backoff
/// that doubles with each crash. A value type with no I/O.
struct CrashLedger {
    /// Crashes within this window count towards a quarantine.
    static let window: Double = 600
    /// Crashes of one version within the window that quarantine it.
    static let quarantineAfter = 3
    /// The first restart delay, doubled per crash of the same instance, and its cap.
    static let firstBackoff: Double = 5
    static let maxBackoff: Double = 300

    private var crashes: [String: [Double]] = [:]
    private var instanceCrashes: [String: Int] = [:]
    /// Quarantined versions, with the crash count that did it.
    private(set) var quarantined: [String: Int] = [:]

    /// Records a crash of `instance` running `version` at `now`.
    /// - Returns: true when this crash quarantines the version.
    mutating func record(version: String, instance: String, at now: Double) -> Bool {
        var times = crashes[version, default: []].filter { now - $0 < Self.window }
        times.append(now)
        crashes[version] = times
        instanceCrashes[instance, default: 0] += 1
        guard quarantined[version] == nil, times.count >= Self.quarantineAfter else { return false }
        quarantined[version] = times.count
        return true
    }

    /// How long `instance` waits before it is restarted after its latest crash.
    func backoff(for instance: String) -> Double {
        let count = max(1, instanceCrashes[instance] ?? 1)
        return min(Self.maxBackoff, Self.firstBackoff * pow(2, Double(count - 1)))
    }

    /// An explicit act of the user on the instance (switched off) lifts its version's
    /// quarantine and forgets its crashes.
    mutating func forgive(version: String, instance: String) {
        quarantined[version] = nil
        crashes[version] = nil
        instanceCrashes[instance] = nil
    }
}
