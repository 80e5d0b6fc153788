/// How an optimization picks its points from a ``ParameterSpace``.
public enum TrialSearch: Sendable, Equatable {
    /// Every point of the grid, in grid order (the last parameter varies fastest).
    case grid
    /// `trials` distinct grid points drawn at random with `seed` (the same seed, the same points).
    case random(trials: Int, seed: UInt64)

    /// The most points a grid search may try.
    public static let maxGridPoints = 100_000

    /// The points to try, each meeting every constraint.
    /// - Throws: ``OptimizationError`` for a grid too large, or no point left.
    public func points(in space: ParameterSpace, constraints: [ParameterConstraint]) throws(OptimizationError) -> [[String: JSONValue]] {
        let size = space.gridSize
        func meets(_ point: [String: JSONValue]) -> Bool { constraints.allSatisfy { $0.holds(for: point) } }
        var points: [[String: JSONValue]] = []
        switch self {
        case .grid:
            guard size <= Self.maxGridPoints else {
                throw OptimizationError(
                    "the grid has \(size == Int.max ? "too many" : String(size)) points (at most \(Self.maxGridPoints)): take larger steps, fewer values, or --search random --trials N"
                )
            }
            for index in 0..<size {
                let point = space.point(at: index)
                if meets(point) { points.append(point) }
            }
        case .random(let trials, let seed):
            guard trials > 0 else { throw OptimizationError("--trials must be at least 1, got \(trials)") }
            var generator = SplitMix64(seed: seed)
            var seen = Set<Int>()
            // Draws stop when the grid is used up or a long run of draws finds nothing new.
            var misses = 0
            while points.count < trials, seen.count < size, misses < 1_000 + 20 * trials {
                let index = Int(generator.next() % UInt64(size))
                guard seen.insert(index).inserted else {
                    misses += 1
                    continue
                }
                let point = space.point(at: index)
                if meets(point) { points.append(point) } else { misses += 1 }
            }
        }
        guard !points.isEmpty else {
            let names = constraints.map { "'\($0.text)'" }.joined(separator: ", ")
            throw OptimizationError(
                "no trial to run: \(constraints.isEmpty ? "the grid is empty" : "no point of the grid meets \(names)"); widen the ranges or relax the constraints"
            )
        }
        return points
    }
}
