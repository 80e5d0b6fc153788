// What equity is measured from.
extension PaperBroker {
    /// The cash an account's equity starts from: an instance's equity is this plus its own PnL
    /// (as if it traded the account alone, as a backtest does). Every account starts with
    /// ``Settings/startingCash`` until accounts carry their own starting cash and fundings.
    public func baseCash(of account: String) -> Double {
        settings.startingCash
    }
}
