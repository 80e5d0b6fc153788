import LuaBridge

/// Saving and restoring an instance's `state`: the plain data a script keeps, as bytes the
/// engine stores. A script shapes what is saved with `on_save()` (its result is saved instead of
/// `state`; nil saves nothing, so a restart runs `init()`) and how it comes back with
/// `on_restore(saved)` (its result becomes `state`).
extension StrategyInstance {
    /// `state` (or what `on_save()` returns) as snapshot bytes; nil when `on_save()` returned nil.
    /// - Throws: `snapshot` naming the first value that is not plain data (a function, a table
    ///   with a metatable…) or the size bound; or `on_save`'s own error.
    public func saveState() throws(StrategyError) -> [UInt8]? {
        if let onSave = hooks.onSave {
            lua.push(onSave)
            try call(.save, arguments: 0, results: 1, deadline: limits.renderDeadline)
        } else {
            lua.pushGlobal("state")
        }
        defer { lua.pop() }  // stack: [value]
        if hooks.onSave != nil && lua.type(at: -1) == .nil { return nil }
        switch lua.snapshotTop(maxBytes: limits.maxSnapshotBytes) {
        case .success(let bytes): return bytes
        case .failure(let error):
            throw StrategyError(kind: .snapshot, phase: .save, message: (hooks.onSave == nil ? "" : "on_save()'s result: ") + error.message)
        }
    }

    /// `state` as a ``SavedState`` of the running version (nil: `on_save()` opted out).
    public func savedState() throws(StrategyError) -> SavedState? {
        try saveState().map { SavedState(bytes: $0, version: script.version) }
    }

    /// Makes `state` what `saved` holds (through `on_restore(saved)` when the script defines
    /// it). Saved by another version: then `on_reload(old_version)` runs as after a hot reload,
    /// or, for a script without one, `init()` starts over.
    func restore(_ saved: SavedState) throws(StrategyError) {
        guard saved.version == script.version || hooks.onReload != nil else {
            savedStateSetAside =
                "the saved state is from version \(saved.version.prefix(12)) and this version has no on_reload(old_version), so init() started over"
            return try runInit()
        }
        do {
            try lua.pushSnapshot(saved.bytes)  // stack: [saved]
        } catch  where error.kind == .runtime {
            throw StrategyError(kind: .snapshot, phase: .`init`, message: "cannot restore the saved state: \(error.message)")
        } catch {
            throw StrategyError(error, phase: .`init`)  // the memory cap, as any other call meets it
        }
        if let onRestore = hooks.onRestore {
            lua.push(onRestore)
            lua.insert(at: -2)  // stack: [on_restore, saved]
            try call(.`init`, arguments: 1, results: 1, deadline: limits.loadDeadline)
        }
        guard lua.type(at: -1) == .table else {
            let got = lua.type(at: -1).name
            lua.pop()
            throw StrategyError(kind: .snapshot, phase: .`init`, message: "the restored state must be a table, got \(got)")
        }
        lua.setGlobal("state")
        lua.prepareTick(hooks.onTick)
        guard saved.version != script.version, let onReload = hooks.onReload else { return }
        lua.push(onReload)
        lua.pushString(saved.version)
        try call(.reload, arguments: 1, results: 0, deadline: limits.loadDeadline)
    }
}

extension StrategyInstance {
    /// Brings a restored `state` up to date: hands `ticks` (the journal since the snapshot) to
    /// `on_tick` as observe mode would — what it would place is neither traded nor recorded,
    /// for those decisions were made live already — then forgets the signals and log lines
    /// the catch-up wrote and returns to the instance's mode. A catch-up longer than `budget`
    /// stops there (a slow script must not hold a load for minutes).
    /// - Returns: how many of `ticks` it handled.
    @discardableResult
    public func catchUp(_ ticks: [Tick], within budget: Duration) throws(StrategyError) -> Int {
        guard !ticks.isEmpty else { return 0 }
        let live = mode
        setMode(.observe)
        defer {
            setMode(live)
            discardKeptSignals()
            discardKeptLogLines()
        }
        let deadline = ContinuousClock.now + budget
        for (index, tick) in ticks.enumerated() {
            if index % 32 == 0 && ContinuousClock.now > deadline { return index }
            try self.tick(tick)
        }
        return ticks.count
    }
}
