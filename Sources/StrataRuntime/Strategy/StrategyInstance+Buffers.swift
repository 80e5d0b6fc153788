extension StrategyInstance {
    /// Lets go of the kept signals once a reader (the engine) has written them elsewhere; the
    /// ``signalsRecorded`` count goes on, so cursors over it stay valid.
    public func discardKeptSignals() {
        signals.removeAll()
    }

    /// Lets go of the kept log lines once a reader has written them elsewhere; the log's
    /// `appended` count goes on.
    public func discardKeptLogLines() {
        log.removeKept()
    }
}
