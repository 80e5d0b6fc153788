extension ReconcileAction {
    /// One line for the log.
    public var summary: String {
        switch self {
        case .load(let record, let version): return "load \(record.id) (\(record.strategyType) \(version.prefix(8)), \(record.mode.rawValue))"
        case .unload(let id): return "unload \(id)"
        case .setMode(let id, let mode): return "mode \(id) → \(mode.rawValue)"
        case .reconfigure(let id, _): return "config \(id)"
        case .reload(let id, let version): return "reload \(id) → \(version.prefix(8))"
        }
    }
}
