/// Which node should run which instance: rendezvous (highest-random-weight) hashing with a cap
/// per node. Every node computes the same answer from the same instances and live nodes, with
/// no coordination; when a node comes or goes only the instances it gains or loses move (about
/// 1/n of them), and the cap keeps the spread even when the hash is lumpy.
///
/// The answer is advice: leases decide. A node takes only free or expired leases, and hands an
/// instance over only to a live node its own view assigns it to.
public enum LeaseAssignment {
    /// Allowed load above the even share, as a fraction (0.1: a node may hold 10% more).
    public static let slack = 0.1

    /// The node for each instance: `instanceIDs` spread over `nodes` (nothing if `nodes` is empty).
    public static func assign(_ instanceIDs: [String], to nodes: [String]) -> [String: String] {
        let nodes = Array(Set(nodes)).sorted()
        guard !nodes.isEmpty else { return [:] }
        let even = Double(instanceIDs.count) / Double(nodes.count)
        let cap = max(1, Int((even * (1 + slack)).rounded(.up)))
        var load = [String: Int](minimumCapacity: nodes.count)
        var assigned = [String: String](minimumCapacity: instanceIDs.count)
        let nodeHashes = nodes.map { (name: $0, hash: fnv1a($0)) }
        for id in instanceIDs.sorted() {
            let instanceHash = fnv1a(id)
            var ranked = nodeHashes.map { (name: $0.name, score: mix($0.hash ^ instanceHash)) }
            ranked.sort { $0.score > $1.score || ($0.score == $1.score && $0.name < $1.name) }
            let chosen = ranked.first { load[$0.name, default: 0] < cap } ?? ranked[0]
            assigned[id] = chosen.name
            load[chosen.name, default: 0] += 1
        }
        return assigned
    }

    /// FNV-1a over the UTF-8 bytes: the same in every process (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// SplitMix64's finalizer: spreads the combined hash over all 64 bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
