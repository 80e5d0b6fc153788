import Foundation
import PostgresNIO
import StrataEngine

// Nodes and leases (see `ClusterStore`). Every time is the database's `now()` (the start of the
// call's transaction), never this machine's clock, so nodes whose clocks drift agree on what
// has expired.
extension PostgresStore {
    /// Refreshes the node's heartbeat and address. The first heartbeat this store sends for
    /// `node` starts a new life of it: `started_at` becomes now, so a node restarted under the
    /// same name shows when the new process started (its previous life's row, if it had not
    /// left, is taken over); later heartbeats keep it.
    public func heartbeat(node: String, address: String?, timeout: Double) throws -> [NodeRecord] {
        let newLife = !registeredNodes.withLock { $0.contains(node) }
        let nodes = try write("heartbeat", instanceID: nil) { session in
            try session.run(
                """
                INSERT INTO nodes (name, address, started_at, heartbeat_at) VALUES (\(node), \(address), now(), now())
                ON CONFLICT (name) DO UPDATE SET address = excluded.address, heartbeat_at = excluded.heartbeat_at
                \(unescaped: newLife ? ", started_at = excluded.started_at" : "")
                """)
            return try Self.nodes(session, timeout: timeout)
        }
        _ = registeredNodes.withLock { $0.insert(node) }
        return nodes
    }

    public func nodes(timeout: Double) throws -> [NodeRecord] {
        try read("nodes", instanceID: nil) { session in try Self.nodes(session, timeout: timeout) }
    }

    public func leases() throws -> [InstanceLease] {
        try read("leases", instanceID: nil) { session in
            try session.rows(
                """
                SELECT instance_id, node, token, \(unescaped: PostgresMilliseconds.readSQL("expires_at")), expires_at > now()
                FROM instance_leases ORDER BY instance_id
                """
            ).map(Self.lease(_:))
        }
    }

    public func claimLeases(
        node: String, renew: [String: Int64], take: [String], release: [String: Int64], ttl: Double
    ) throws -> [String: InstanceLease] {
        let renewed = renew.sorted { $0.key < $1.key }
        let released = release.sorted { $0.key < $1.key }
        let taken = Set(take).sorted()
        let touched = Set(renew.keys).union(take).union(release.keys).sorted()
        let ttl = max(0, ttl)
        return try read("claimLeases", instanceID: nil) { session in
            try Self.retryingDeadlocks(session) {
                // Lock the rows the round touches in instance-id order before changing any: two
                // nodes' rounds then queue on their first shared row instead of deadlocking.
                if !touched.isEmpty {
                    try session.run("SELECT 1 FROM instance_leases WHERE instance_id = ANY(\(touched)) ORDER BY instance_id FOR UPDATE")
                }
                var held: [String] = []
                if !renewed.isEmpty {
                    held += try session.rows(
                        """
                        UPDATE instance_leases l SET expires_at = now() + make_interval(secs => \(ttl))
                        FROM unnest(\(renewed.map(\.key))::text[], \(renewed.map(\.value))::int8[]) AS r(instance_id, token)
                        WHERE l.instance_id = r.instance_id AND l.token = r.token AND l.node = \(node)
                        RETURNING l.instance_id
                        """
                    ).map { try $0.decode(String.self) }
                }
                if !taken.isEmpty {
                    // A new row starts at token 1; a taken one goes on from its old token, so
                    // tokens only grow (a released lease keeps its row and token for that).
                    // Unknown instances are skipped (their lease row could not exist).
                    held += try session.rows(
                        """
                        INSERT INTO instance_leases (instance_id, node, token, expires_at)
                        SELECT i.id, \(node), 1, now() + make_interval(secs => \(ttl))
                        FROM unnest(\(taken)::text[]) AS t(id) JOIN instances i ON i.id = t.id ORDER BY i.id
                        ON CONFLICT (instance_id) DO UPDATE
                        SET node = excluded.node, token = instance_leases.token + 1, expires_at = excluded.expires_at
                        WHERE instance_leases.expires_at <= now() OR instance_leases.node = excluded.node
                        RETURNING instance_id
                        """
                    ).map { try $0.decode(String.self) }
                }
                if !released.isEmpty {
                    try session.run(
                        """
                        UPDATE instance_leases l SET expires_at = least(l.expires_at, now())
                        FROM unnest(\(released.map(\.key))::text[], \(released.map(\.value))::int8[]) AS r(instance_id, token)
                        WHERE l.instance_id = r.instance_id AND l.token = r.token AND l.node = \(node)
                        """)
                }
                // What it renewed or took, less what it released: a live lease of the node's
                // name that it did not claim (a previous life's) is not this caller's.
                guard !held.isEmpty else { return [:] }
                let leases = try session.rows(
                    """
                    SELECT instance_id, node, token, \(unescaped: PostgresMilliseconds.readSQL("expires_at")), true
                    FROM instance_leases WHERE instance_id = ANY(\(held)) AND node = \(node) AND expires_at > now()
                    """
                ).map(Self.lease(_:))
                return Dictionary(uniqueKeysWithValues: leases.map { ($0.instanceID, $0) })
            }
        }
    }

    public func reserveTickSeqs(_ count: Int) throws -> Int64 {
        let count = Int64(max(0, count))
        return try read("reserveTickSeqs", instanceID: nil) { session in
            // One statement: the row lock makes concurrent reservations queue, each moving the
            // head past its own block.
            guard let row = try session.rows("UPDATE tick_journal_head SET seq = seq + \(count) WHERE id = 1 RETURNING seq").first
            else { throw StoreError(.corruptData, "the journal head row is missing", operation: "reserveTickSeqs") }
            return try row.decode(Int64.self) - count + 1
        }
    }

    /// Releases the node's live leases (they keep their tokens, so the next holder's is larger)
    /// and removes its registration.
    public func leaveCluster(node: String) throws {
        try write("leaveCluster", instanceID: nil) { session in
            try session.run("UPDATE instance_leases SET expires_at = now() WHERE node = \(node) AND expires_at > now()")
            try session.run("DELETE FROM nodes WHERE name = \(node)")
        }
        _ = registeredNodes.withLock { $0.remove(node) }
    }

    // MARK: Rows

    /// Every node by name, judged by the database's clock.
    private static func nodes(_ session: PostgresSession, timeout: Double) throws -> [NodeRecord] {
        try session.rows(
            """
            SELECT n.name, n.address, \(unescaped: PostgresMilliseconds.readSQL("n.started_at")),
                \(unescaped: PostgresMilliseconds.readSQL("n.heartbeat_at")),
                n.heartbeat_at >= now() - make_interval(secs => \(max(0, timeout))),
                (SELECT count(*) FROM instance_leases l WHERE l.node = n.name AND l.expires_at > now())
            FROM nodes n ORDER BY n.name
            """
        ).map { row in
            let (name, address, startedAt, heartbeatAt, alive, leases) = try row.decode((String, String?, Int64, Int64, Bool, Int64).self)
            return NodeRecord(
                name: name, address: address, startedAt: PostgresMilliseconds.date(startedAt),
                heartbeatAt: PostgresMilliseconds.date(heartbeatAt), alive: alive, leases: Int(leases))
        }
    }

    /// A lease from `instance_id, node, token, expires_at (ms), live`.
    private static func lease(_ row: PostgresRow) throws -> InstanceLease {
        let (instanceID, node, token, expiresAt, live) = try row.decode((String, String, Int64, Int64, Bool).self)
        return InstanceLease(instanceID: instanceID, node: node, token: token, expiresAt: PostgresMilliseconds.date(expiresAt), live: live)
    }

    /// SQLSTATE `deadlock_detected`.
    private static let deadlockDetected = "40P01"

    /// Runs `body` in a transaction, again (up to three times) when the server broke a deadlock
    /// by aborting it: a fenced write locks lease rows in its batch's order, which may cross a
    /// lease round's.
    static func retryingDeadlocks<T>(_ session: PostgresSession, _ body: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try session.transaction(body)
            } catch  where PostgresFailure.sqlState(error) == deadlockDetected && attempt < 3 {
                attempt += 1
            }
        }
    }
}
