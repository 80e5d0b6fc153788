extension EngineHealth {
    /// The counts and standing problems in Prometheus text exposition format:
    /// `strata_engine_failures_total{kind}` (counter) and `strata_engine_problem{kind}` (1 while it holds).
    public var prometheusText: String {
        var lines = [
            "# HELP strata_engine_failures_total Engine failures that are not one instance's fault, by kind.",
            "# TYPE strata_engine_failures_total counter",
        ]
        for problem in Problem.allCases { lines.append("strata_engine_failures_total{kind=\"\(problem.rawValue)\"} \(count(problem))") }
        lines += [
            "# HELP strata_engine_problem Engine problems that hold now (1), by kind.",
            "# TYPE strata_engine_problem gauge",
        ]
        for problem in Problem.allCases { lines.append("strata_engine_problem{kind=\"\(problem.rawValue)\"} \(conditions[problem] == nil ? 0 : 1)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
