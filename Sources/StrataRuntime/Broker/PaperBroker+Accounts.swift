/// An account's cash before any trade (its base cash: starting cash plus fundings), and the
/// reset that takes the account back to it.
extension PaperBroker {
    /// The cash `account` has before any trade: as set by ``setBaseCash(_:for:)``, else the
    /// settings' starting cash.
    public func baseCash(of account: String) -> Double {
        baseCashByAccount[account] ?? settings.startingCash
    }

    /// Sets the cash `account` has before any trade (a funding raises it); its cash now moves
    /// by the difference, so what its instances made or lost is kept.
    public func setBaseCash(_ amount: Double, for account: String) {
        let difference = amount - baseCash(of: account)
        baseCashByAccount[account] = amount
        if difference != 0, let current = cash[account] { cash[account] = current + difference }
    }

    /// The instances the broker has booked or placed orders for on `account`, sorted.
    public func instances(of account: String) -> [String] {
        accounts.compactMap { $0.value == account ? $0.key : nil }.sorted()
    }

    /// Resets `account`: every instance of it is forgotten (flat, no trades, no fees), their
    /// open orders are cancelled, and its cash goes back to `baseCash`.
    /// - Returns: the cancelled orders, to be recorded.
    public func resetAccount(_ account: String, baseCash amount: Double) -> [Order] {
        var cancelled: [Order] = []
        for instanceID in instances(of: account) {
            cancelled += forgetInstance(instanceID)
        }
        baseCashByAccount[account] = amount
        cash[account] = nil
        return cancelled
    }
}
