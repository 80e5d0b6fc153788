import Foundation

extension FeedHealth {
    /// The feed's counters and gauges in Prometheus text exposition format, per market where
    /// they are a market's (`strata_feed_gaps_total{market="BTCUSDT"}`); empty for a local feed.
    public func prometheusText(now: Double) -> String {
        guard connection != .local else { return "" }
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(Self.format(value))") }
        }
        family(
            "strata_feed_connected", "gauge", "1 while the live feed's connection is open and subscribed.",
            [(Self.labels(["source": source]), connection == .connected ? 1.0 : 0.0)])
        family(
            "strata_feed_connection_state", "gauge", "The live feed's connection state (1 for the current one).",
            Connection.allCases.filter { $0 != .local }.map {
                (Self.labels(["source": source, "state": $0.rawValue]), $0 == connection ? 1.0 : 0.0)
            })
        family("strata_feed_connects_total", "counter", "Connections opened, the first included.", [(Self.labels(["source": source]), Double(connects))])
        family(
            "strata_feed_reconnects_total", "counter", "Connections that ended and were opened again.",
            [(Self.labels(["source": source]), Double(reconnects))])
        family(
            "strata_feed_malformed_frames_total", "counter", "Frames refused as malformed (counted, logged, skipped).",
            [(Self.labels(["source": source]), Double(malformedFrames))])
        family("strata_feed_buffered_ticks", "gauge", "Ticks waiting for the engine.", [(Self.labels(["source": source]), Double(bufferedTicks))])
        let perMarket: [(String, String, String, (Market) -> Double?)] = [
            ("strata_feed_ticks_total", "counter", "Ticks handed to the engine's buffer.", { Double($0.ticks) }),
            ("strata_feed_trades_total", "counter", "Trades accepted.", { Double($0.trades) }),
            ("strata_feed_quotes_total", "counter", "Best bid/ask updates accepted.", { Double($0.quotes) }),
            ("strata_feed_gaps_total", "counter", "Jumps in the trade ids (trades missed).", { Double($0.gaps) }),
            ("strata_feed_missed_trades_total", "counter", "Trade ids skipped by gaps.", { Double($0.missedTrades) }),
            ("strata_feed_duplicates_total", "counter", "Trades received twice (dropped).", { Double($0.duplicates) }),
            ("strata_feed_out_of_order_total", "counter", "Trades older than the last accepted (dropped).", { Double($0.outOfOrder) }),
            ("strata_feed_overflow_dropped_total", "counter", "Ticks dropped because the engine's buffer was full.", { Double($0.overflowDropped) }),
            ("strata_feed_stale", "gauge", "1 while no message arrived on the market's streams for the stale threshold.", { market in market.stale ? 1 : 0 }),
            ("strata_feed_stale_episodes_total", "counter", "Times the market went stale.", { Double($0.staleEpisodes) }),
            (
                "strata_feed_last_message_age_seconds", "gauge", "Seconds since the market's last message.",
                { market in market.lastMessageAt.map { max(0, now - $0) } }
            ),
            (
                "strata_feed_last_tick_age_seconds", "gauge", "Seconds since the market's last tick arrived.",
                { market in market.lastTickAt.map { max(0, now - $0) } }
            ),
        ]
        for (name, type, help, value) in perMarket {
            family(name, type, help, markets.compactMap { market in value(market).map { (Self.labels(["market": market.market]), $0) } })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{key="value",…}` with the values escaped as the exposition format requires.
    static func labels(_ pairs: [String: String]) -> String {
        let body = pairs.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        return "{\(body.joined(separator: ","))}"
    }

    static func format(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
