import PostgresNIO
import StrataEngine

/// A fenced write made ready to run: the records the lease book let through, as one statement
/// (one round trip however many) for the caller's transaction.
struct FencedStatement {
    let operation: String
    /// Records sent (those of instances this node holds no lease for are not).
    let sent: Int
    /// The instance when every record is one instance's (named in errors), else nil.
    let instanceID: String?
    let query: PostgresQuery
    let then: ((PostgresSession, [String]) throws -> Void)?

    /// Runs the statement (and `then`) in `session`'s transaction.
    /// - Returns: how many rows were written (the others' tokens were refused).
    func run(_ session: PostgresSession) throws -> Int {
        guard let row = try session.rows(query).first else { return 0 }
        let (count, written) = try row.decode((Int64, [String]?).self)
        if let then, let written, !written.isEmpty { try then(session, written) }
        return Int(count)
    }
}

extension PostgresStore {
    /// Prepares a fenced write of `records`: each row carries its instance's token and is
    /// written only while `strata_lease_holds` passes it.
    ///
    /// Records go in lock order (by instance id, then as given) so that two writers lock leases
    /// in the same order. Those of instances this node holds no lease for are not sent; rows the
    /// database refuses are not written. Both are counted in the lease book.
    /// - Parameters:
    ///   - columns: the record's columns as `json_to_recordset` reads them (`name type, …`,
    ///     including `instance_id text`); `n` (the position) and `token` come first.
    ///   - fields: a record's values, by the names of `columns`.
    ///   - insert: the writing statement: it reads the rows that passed from `passed`, `ORDER BY n`.
    ///   - then: more work for the same transaction, given the instances written to (nil: none,
    ///     and the statement does not collect them).
    /// - Returns: nil when no record is sent.
    func fencedStatement<Record>(
        _ operation: String, _ records: [Record], instanceID: (Record) -> String, columns: String,
        fields: (Record) -> KeyValuePairs<String, PostgresBatch.Value>, insert: String,
        then: ((PostgresSession, [String]) throws -> Void)? = nil
    ) -> FencedStatement? {
        let ordered = records.enumerated()
            .sorted { (instanceID($0.element), $0.offset) < (instanceID($1.element), $1.offset) }
            .map(\.element)
        let sent = fenced(ordered, instanceID: instanceID)
        guard !sent.isEmpty else { return nil }
        var batch = PostgresBatch()
        for (position, item) in sent.enumerated() {
            batch.append(["n": .integer(Int64(position)), "token": .integer(item.token)], fields(item.record))
        }
        // Only a count comes back (and the instances when `then` needs them), not a row per record.
        let instances = then == nil ? "NULL::text[]" : "array_agg(DISTINCT instance_id)"
        let query: PostgresQuery = """
            WITH passed AS MATERIALIZED (
                SELECT * FROM json_to_recordset(\(batch.text)::json) AS x(n bigint, token bigint, \(unescaped: columns))
                WHERE strata_lease_holds(x.instance_id, x.token)
            ), written AS (
                \(unescaped: insert)
            )
            SELECT count(*), \(unescaped: instances) FROM passed
            """
        let single = Set(records.map(instanceID)).count == 1 ? records.first.map(instanceID) : nil
        return FencedStatement(operation: operation, sent: sent.count, instanceID: single, query: query, then: then)
    }

    /// Runs a prepared fenced write in a transaction of its own (nothing when nil).
    func writeFenced(_ statement: FencedStatement?) throws {
        guard let statement else { return }
        let written = try write(statement.operation, instanceID: statement.instanceID) { session in try statement.run(session) }
        countRefused(sent: statement.sent, written: written)
    }
}
