import ArgumentParser
import StrataRuntime

/// The paper broker's options that `strata backtest` and `strata optimize` share.
struct BrokerOptions: ParsableArguments {
    @Option(help: "Starting cash in the quote asset.")
    var cash = 100_000.0

    @Option(name: .customLong("fee-bps"), help: "Fee in basis points of traded value.")
    var feeBps = 0.0

    @Option(name: .customLong("slippage-bps"), help: "Slippage in basis points.")
    var slippageBps = 0.0

    @Option(help: "When market orders fill: next-open or close.")
    var fill = "next-open"

    /// Checks the options and sets them on `broker`; bad usage exits 2.
    func apply(to broker: inout PaperBroker.Settings) {
        guard let model = PaperBroker.FillModel(rawValue: fill) else { failUsage("--fill must be next-open or close, got '\(fill)'") }
        broker.fillModel = model
        guard cash > 0, cash.isFinite else { failUsage("--cash must be a positive number") }
        guard feeBps >= 0, feeBps < 10_000 else { failUsage("--fee-bps must be between 0 and 10000") }
        guard slippageBps >= 0, slippageBps < 10_000 else { failUsage("--slippage-bps must be between 0 and 10000") }
        broker.startingCash = cash
        broker.feeBps = feeBps
        broker.slippageBps = slippageBps
    }
}
