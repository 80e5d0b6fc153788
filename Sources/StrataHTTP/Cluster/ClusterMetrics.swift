import StrataEngine

/// The cluster's part of `/metrics`, for a clustered node: who it is, the leases it holds, how
/// many nodes are alive, and the writes its store refused for a stale lease.
enum ClusterMetrics {
    /// Prometheus text: `strata_node_info{node}` (1), `strata_fenced_writes_total` (counter),
    /// `strata_cluster_store_up` (whether the store answered this scrape), and, when it did,
    /// `strata_node_leases{node}` and `strata_cluster_nodes{state}` (alive, dead). Blocking.
    static func text(_ cluster: ClusterMembership) -> String {
        let node = label(cluster.node)
        var lines = [
            "# HELP strata_node_info The cluster node this process is (always 1).",
            "# TYPE strata_node_info gauge",
            "strata_node_info{node=\"\(node)\"} 1",
            "# HELP strata_fenced_writes_total Records this node's store refused because it no longer held the instance's lease.",
            "# TYPE strata_fenced_writes_total counter",
            "strata_fenced_writes_total \(cluster.leases.refusedWrites)",
        ]
        let nodes = try? cluster.store.nodes(timeout: cluster.leaseTTL)
        lines += [
            "# HELP strata_cluster_store_up Whether the cluster's store answered this scrape.",
            "# TYPE strata_cluster_store_up gauge",
            "strata_cluster_store_up \(nodes == nil ? 0 : 1)",
        ]
        if let nodes {
            let alive = nodes.filter(\.alive).count
            lines += [
                "# HELP strata_node_leases Live instance leases this node holds.",
                "# TYPE strata_node_leases gauge",
                "strata_node_leases{node=\"\(node)\"} \(nodes.first { $0.name == cluster.node }?.leases ?? 0)",
                "# HELP strata_cluster_nodes Registered nodes, by whether their heartbeat is within the lease TTL.",
                "# TYPE strata_cluster_nodes gauge",
                "strata_cluster_nodes{state=\"alive\"} \(alive)",
                "strata_cluster_nodes{state=\"dead\"} \(nodes.count - alive)",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A label value escaped as the exposition format wants (backslash, quote, newline).
    static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
