import CStrataLua

extension LuaState {
    /// The value on top of the stack as snapshot bytes (plain data; shared tables and cycles
    /// kept), or why it cannot be saved (the path of the first value that is not plain data, or
    /// the size bound). Runs no Lua code.
    // stack: [value] -> [value]
    public func snapshotTop(maxBytes: Int) -> Result<[UInt8], LuaSnapshotError> {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        var error = [CChar](repeating: 0, count: 600)
        let status = strata_snapshot_save(L, -1, maxBytes, &bytes, &length, &error, error.count)
        guard status == 0, let bytes else {
            let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(LuaSnapshotError(message: message))
        }
        defer { strata_snapshot_free(bytes) }
        return .success(Array(UnsafeBufferPointer(start: bytes, count: length)))
    }

    /// Pushes the value `bytes` hold (a corrupt snapshot or the memory cap is an error; nothing
    /// is pushed then).
    // stack: [] -> [value]
    public func pushSnapshot(_ bytes: [UInt8]) throws(LuaError) {
        let status = bytes.withUnsafeBufferPointer { buffer in
            strata_snapshot_restore(L, buffer.baseAddress, buffer.count)
        }
        if status != LUA_OK { throw popError(status: status) }
    }
}

/// Why a value cannot be saved in a snapshot.
public struct LuaSnapshotError: Error, Sendable, Equatable {
    public var message: String
}
