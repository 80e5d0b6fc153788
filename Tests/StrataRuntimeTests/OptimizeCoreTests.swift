import Testing

@testable import StrataRuntime

/// The pure core of `strata optimize`: parameter specs against a schema, constraints, grid and
/// random search, walk-forward segments, and how a result is put together.
@Suite struct OptimizeCoreTests {
    static let schema = ConfigSchema(fields: [
        ConfigField(name: "fast", kind: .integer, defaultValue: .integer(10), min: 1, max: 500),
        ConfigField(name: "slow", kind: .integer, defaultValue: .integer(30), min: 2, max: 2000),
        ConfigField(name: "qty", kind: .float, defaultValue: .number(1), min: 0.001, max: 100),
        ConfigField(name: "side", kind: .enum, defaultValue: .string("both"), values: ["both", "long"]),
        ConfigField(name: "note", kind: .string, defaultValue: .string("")),
        ConfigField(name: "window", kind: .integer, defaultValue: .integer(5)),
        ConfigField(name: "size", kind: .float, defaultValue: .number(1), min: 1e-8, max: 1e9),
    ])

    func space(_ specs: String...) throws -> ParameterSpace {
        try ParameterSpace(specs: specs, schema: Self.schema)
    }

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch let error as OptimizationError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func rangesAndListsAreTypedAsTheSchemaTypesTheField() throws {
        let swept = try space("fast=5:20:5", "qty=0.1:0.3:0.1", "side=long,both", "slow=40,60")
        #expect(swept.axes.map(\.name) == ["fast", "qty", "side", "slow"])
        #expect(swept.axes[0].values == [.integer(5), .integer(10), .integer(15), .integer(20)])
        #expect(swept.axes[1].values == [.number(0.1), .number(0.2), .number(0.3)], "no float noise")
        #expect(swept.axes[2].values == [.string("long"), .string("both")])
        #expect(swept.axes[3].values == [.integer(40), .integer(60)])
        #expect(swept.gridSize == 4 * 3 * 2 * 2)
    }

    @Test func aNameAloneOrNoSpecTakesTheSchemasRanges() throws {
        #expect(try space("fast").axes[0].values == [1, 126, 251, 375, 500].map { .integer($0) })
        #expect(try space("side").axes[0].values == [.string("both"), .string("long")])
        let all = try ParameterSpace(specs: [], schema: Self.schema)
        #expect(
            all.axes.map(\.name) == ["fast", "qty", "side", "slow"],
            "numeric fields with min and max, enums; not strings, unbounded fields or a float spanning 17 decades")
        #expect(try space("size").axes[0].values.count == 5, "named, a wide float field takes its range")
    }

    @Test func badSpecsAreClearErrorsNamingTheInput() {
        #expect(message { _ = try space("speed=1:5:1") }.contains("unknown parameter 'speed'"))
        #expect(message { _ = try space("fast=0:10:1") }.contains("fast must be at least 1"))
        #expect(message { _ = try space("fast=1:600:100") }.contains("fast must be at most 500"))
        #expect(message { _ = try space("fast=10:5:1") }.contains("FROM (10) is greater than TO (5)"))
        #expect(message { _ = try space("fast=1:10:0") }.contains("STEP must be greater than 0"))
        #expect(message { _ = try space("fast=1:10:0.5") }.contains("whole numbers"))
        #expect(message { _ = try space("fast=a,b") }.contains("'a' is not a number"))
        #expect(message { _ = try space("side=short") }.contains("must be one of"))
        #expect(message { _ = try space("window") }.contains("no min and max"))
        #expect(message { _ = try space("fast=1:x") }.contains("--param fast=1:x"))
        #expect(message { _ = try space("fast=1,2", "fast=3") }.contains("swept twice"))
    }

    @Test func constraintsFilterTheGridAndUnknownNamesAreRefused() throws {
        let swept = try space("fast=10:30:10", "slow=20:40:10")
        let constraint = try ParameterConstraint(parsing: "fast < slow", schema: Self.schema)
        let points = try TrialSearch.grid.points(in: swept, constraints: [constraint])
        #expect(points.count == 6, "3 × 3 minus (20,20), (30,20), (30,30)")
        #expect(points.allSatisfy { $0["fast"]!.doubleValue! < $0["slow"]!.doubleValue! })
        #expect(points.first == ["fast": .integer(10), "slow": .integer(20)], "grid order: the last parameter varies fastest")
        #expect(points[1] == ["fast": .integer(10), "slow": .integer(30)])
        let scaled = try ParameterConstraint(parsing: "fast * 2 <= slow", schema: Self.schema)
        #expect(try TrialSearch.grid.points(in: swept, constraints: [scaled]).count == 4, "(10,20), (10,30), (10,40), (20,40)")
        #expect(message { _ = try ParameterConstraint(parsing: "fast < sloww", schema: Self.schema) }.contains("unknown parameter 'sloww'"))
        #expect(message { _ = try ParameterConstraint(parsing: "fast slow", schema: Self.schema) }.contains("compare two sides"))
        #expect(
            message { _ = try TrialSearch.grid.points(in: swept, constraints: [try ParameterConstraint(parsing: "fast > 100")]) }.contains("no trial to run"))
    }

    @Test func aGridTooLargeIsRefused() throws {
        let swept = try space("fast=1:500:1", "slow=2:2000:1")
        #expect(message { _ = try TrialSearch.grid.points(in: swept, constraints: []) }.contains("--search random"))
    }

    @Test func randomSearchDrawsDistinctGridPointsDeterministically() throws {
        let swept = try space("fast=1:100:1", "slow=2:200:2")
        let a = try TrialSearch.random(trials: 50, seed: 7).points(in: swept, constraints: [])
        let b = try TrialSearch.random(trials: 50, seed: 7).points(in: swept, constraints: [])
        let c = try TrialSearch.random(trials: 50, seed: 8).points(in: swept, constraints: [])
        #expect(a.count == 50)
        #expect(a == b, "the same seed, the same points")
        #expect(a != c)
        #expect(Set(a.map { "\($0["fast"]!.encoded())/\($0["slow"]!.encoded())" }).count == 50, "distinct")
        let grid = try TrialSearch.grid.points(in: swept, constraints: [])
        #expect(a.allSatisfy { grid.contains($0) }, "drawn from the grid values")
        // Asking for more than the grid has gives the whole grid.
        let small = try space("fast=1:3:1")
        #expect(try TrialSearch.random(trials: 10, seed: 1).points(in: small, constraints: []).count == 3)
    }

    @Test func walkForwardSplitsTheBarsIntoConsecutiveSegments() throws {
        #expect(OptimizationPlan.range(segment: 0, of: 4, count: 1000) == 0..<250)
        #expect(OptimizationPlan.range(segment: 3, of: 4, count: 1003) == 750..<1003, "the last segment takes the rest")
        let plan = OptimizationPlan(
            space: try space("fast=5,10"), points: [["fast": .integer(5)], ["fast": .integer(10)]], baseConfig: ["slow": .integer(30)], walkForward: 3)
        let trials = plan.searchTrials
        #expect(trials.count == 6)
        #expect(trials.map(\.segment) == [0, 0, 1, 1, 2, 2], "window w optimises on segment w-1")
        #expect(trials.map(\.window) == [1, 1, 2, 2, 3, 3])
        #expect(trials[0].config == ["fast": .integer(5), "slow": .integer(30)], "the base config, with the swept fields")
        var best = TrialResult(spec: trials[1])
        best.metrics = ["sharpe": 1]
        let outOfSample = plan.outOfSampleTrials(best: [best, nil, best], after: 6)
        #expect(outOfSample.map(\.segment) == [1, 3], "scored on the next segment")
        #expect(outOfSample.map(\.index) == [6, 7])
        #expect(outOfSample.allSatisfy { $0.outOfSample })
        #expect(plan.trialCount == 9)
    }

    @Test func theResultRanksTrialsAndSummarisesTheWindows() throws {
        let plan = OptimizationPlan(space: try space("fast=5,10"), points: [["fast": .integer(5)], ["fast": .integer(10)]], baseConfig: [:], walkForward: 2)
        var trials = plan.searchTrials.map { TrialResult(spec: $0) }
        trials[0].metrics = ["sharpe": 1, "return_pct": 5]
        trials[1].metrics = ["sharpe": 2, "return_pct": 8]
        trials[2].error = "runtime in tick: boom"
        trials[3].metrics = ["sharpe": 0.5, "return_pct": 1]
        let oos = plan.outOfSampleTrials(best: [trials[1], trials[3]], after: 4)
        var scored = oos.map { TrialResult(spec: $0) }
        scored[0].metrics = ["sharpe": -1, "return_pct": -10]
        scored[1].metrics = ["sharpe": 0.4, "return_pct": 20]
        let result = OptimizationResult(trials: trials + scored, plan: plan, metric: .sharpe, direction: .maximize, cancelled: false)
        #expect(result.windows.count == 2)
        #expect(result.windows[0].best?.index == 1)
        #expect(result.windows[1].best?.index == 3, "a failed trial is never the best")
        #expect(result.windows[0].outOfSample?.score(.sharpe) == -1)
        #expect(result.meanOutOfSample.map { abs($0 - (-0.3)) < 1e-12 } == true)
        #expect(result.compoundedOutOfSampleReturn.map { abs($0 - 8) < 1e-9 } == true, "0.9 × 1.2 − 1")
        #expect(result.failed == 1)
        #expect(result.ranked.first?.index == 1)
        #expect(result.ranked.last?.index == 2, "failed trials rank last")
        let minimized = OptimizationResult(
            trials: Array(trials.prefix(2)), plan: OptimizationPlan(space: plan.space, points: plan.points, baseConfig: [:], walkForward: 0), metric: .sharpe,
            direction: .minimize, cancelled: false)
        #expect(minimized.best?.index == 0)
    }

    @Test func aRequestRoundTripsThroughJSON() throws {
        var settings = Backtest.Settings()
        settings.config = ["qty": .number(2)]
        settings.broker.feeBps = 5
        let request = OptimizationRequest(
            script: StrategyScript(name: "s", source: "CONFIG_SCHEMA = {}"), dataPath: "data/GOOG.csv", settings: settings, params: ["fast=5:20:5"],
            search: .random(trials: 20, seed: 3), metric: .maxDrawdownPercent, walkForward: 2, constraints: ["fast < slow"], jobs: 2)
        #expect(request.direction == .minimize, "drawdown is minimised by default")
        let copy = try OptimizationRequest(json: request.json)
        #expect(copy.json.encoded() == request.json.encoded())
        #expect(
            message {
                _ = try OptimizationRequest(
                    json: .object(["script": .object(["name": .string("s"), "source": .string("")]), "data": .string("x"), "metric": .string("alpha")]))
            }.contains("unknown metric 'alpha'"))
    }
}
