import StrataRuntime

/// The request of a backtest run in a worker: the script, the data file the worker reads
/// before it confines itself (the path comes from the trusted parent, never from the script),
/// the settings, and what to produce. The progress and answer are the caller's.
public struct BacktestRequest: Sendable {
    public var script: StrategyScript
    public var dataPath: String
    public var settings: Backtest.Settings
    /// What to produce: `json`, `timing`, `report`, `equity` (with `json`: the equity curve
    /// thinned to ``EquityCurve/defaultMaxPoints`` points as `equity_curve`) (booleans).
    public var outputs: [String: Bool]

    public init(script: StrategyScript, dataPath: String, settings: Backtest.Settings, outputs: [String: Bool]) {
        self.script = script
        self.dataPath = dataPath
        self.settings = settings
        self.outputs = outputs
    }

    public var wire: JSONValue {
        let broker = settings.broker
        return .object([
            "backtest": .object(
                [
                    "name": .string(script.name), "source": .string(script.source), "chunk_name": .string(script.chunkName),
                    "data": .string(dataPath), "market": .string(settings.market), "config": .object(settings.config),
                    "starting_cash": .number(broker.startingCash), "fee_bps": .number(broker.feeBps), "slippage_bps": .number(broker.slippageBps),
                    "fill": .string(broker.fillModel.rawValue), "max_open_orders": .integer(Int64(broker.maxOpenOrders)),
                    "limits": settings.limits.wire, "outputs": .object(outputs.mapValues(JSONValue.bool)),
                ].merging(script.moduleWire) { own, _ in own })
        ])
    }

    public init?(wire: JSONValue) {
        guard let body = wire["backtest"], let name = body["name"]?.stringValue, let source = body["source"]?.stringValue,
            let chunkName = body["chunk_name"]?.stringValue, let data = body["data"]?.stringValue,
            let market = body["market"]?.stringValue, let config = body["config"]?.objectValue,
            let cash = body["starting_cash"]?.doubleValue, let fee = body["fee_bps"]?.doubleValue,
            let slippage = body["slippage_bps"]?.doubleValue,
            let fill = body["fill"]?.stringValue.flatMap(PaperBroker.FillModel.init(rawValue:)),
            let maxOpen = body["max_open_orders"]?.intValue, let limits = body["limits"].flatMap(StrategyLimits.init(wire:)),
            let outputs = body["outputs"]?.objectValue
        else { return nil }
        var settings = Backtest.Settings()
        settings.market = market
        settings.config = config
        settings.broker.startingCash = cash
        settings.broker.feeBps = fee
        settings.broker.slippageBps = slippage
        settings.broker.fillModel = fill
        settings.broker.maxOpenOrders = maxOpen
        settings.limits = limits
        self.init(
            script: StrategyScript(name: name, source: source, chunkName: chunkName).withModules(from: body), dataPath: data, settings: settings,
            outputs: outputs.compactMapValues { if case .bool(let flag) = $0 { return flag } else { return nil } })
    }
}
