import AtlasDomain
import Foundation

/// A Pearson correlation of a group, with its number of points.
public struct GroupCorrelation: Codable, Equatable, Sendable {
    public var group: String
    public var r: Double?
    public var n: Int

    public init(group: String, r: Double?, n: Int) { (self.group, self.r, self.n) = (group, r, n) }

    init(_ group: String, _ x: [Double], _ y: [Double]) {
        self.group = group
        n = x.count
        r = x.count >= 3 ? Correlation.pearson(x, y) : nil
    }
}

/// Fig. 4a (and 4b in tokens): per (main-grid base, dataset) cell, the log perplexity of the training data
/// under the base against the cell's gain (as in Fig. 4b: the mean over its main-grid runs of each run's
/// mean main-benchmark gain on 0–100). Correlations over the cells, per base, and per main benchmark.
public struct PerplexityResult: Codable, Equatable, Sendable {
    public struct Cell: Codable, Equatable, Sendable {
        public var base: String
        public var dataset: String
        public var perplexity: Double
        public var logPerplexity: Double
        public var tokens: Double?
        public var gain: Double
        public var runs: Int

        enum CodingKeys: String, CodingKey {
            case base, dataset, perplexity, tokens, gain, runs
            case logPerplexity = "log_perplexity"
        }
    }

    public var definition: String
    public var cells: [Cell]
    /// r(log perplexity, gain): over every cell ("all"), then per base.
    public var correlations: [GroupCorrelation]
    /// r(log perplexity, the cell's gain on one main benchmark), per benchmark id.
    public var byBenchmark: [GroupCorrelation]
    /// r(mean tokens, gain), over every cell then per base, when the table gives tokens for every cell.
    public var tokens: [GroupCorrelation]?

    enum CodingKeys: String, CodingKey {
        case definition, cells, correlations, tokens
        case byBenchmark = "by_benchmark"
    }

    public static let everyCell = "all"

    public init(_ table: StudyTable) {
        var cells: [Cell] = []
        for b in table.mainBases {
            for d in table.datasets {
                guard let p = table.perplexity[.init(base: b.id, dataset: d.id)], let g = table.cellGain(base: b.id, dataset: d.id) else { continue }
                cells.append(Cell(base: b.id, dataset: d.id, perplexity: p.perplexity, logPerplexity: log(p.perplexity), tokens: p.tokens, gain: g.gain, runs: g.runs))
            }
        }
        self.cells = cells
        func groups(_ x: (Cell) -> Double) -> [GroupCorrelation] {
            [GroupCorrelation(Self.everyCell, cells.map(x), cells.map(\.gain))] + table.mainBases.map { b in
                let cs = cells.filter { $0.base == b.id }
                return GroupCorrelation(b.id, cs.map(x), cs.map(\.gain))
            }
        }
        correlations = groups(\.logPerplexity)
        byBenchmark = table.mainColumns.map { c in
            let pairs = cells.compactMap { cell in table.cellGain(base: cell.base, dataset: cell.dataset, column: c.id).map { (cell.logPerplexity, $0) } }
            return GroupCorrelation(c.id, pairs.map(\.0), pairs.map(\.1))
        }
        tokens = !cells.isEmpty && cells.allSatisfy { $0.tokens != nil } ? groups { $0.tokens! } : nil
        definition = "Per (main-grid base, dataset): the natural log of the training data's perplexity under the base (a side table), against the mean over "
            + "the cell's main-grid runs (1k samples, cosine, both methods) of the run's gain, the mean over the 12 main columns on 0–100. Pearson r over "
            + "the cells, per base, and per main benchmark (the cell's mean gain on it); with mean_tokens, r of the length in tokens as well."
    }
}

/// Fig. 5: the relative weight change of each layer (‖ΔW‖_F / ‖W‖_F over its matrices, from a weights side
/// table) against the run's gain (its mean main-benchmark gain on 0–100). Each run's layers are put on a grid
/// of layer positions (0 = input, 1 = output) by linear interpolation, so bases of different depths line up.
public struct WeightChangeResult: Codable, Equatable, Sendable {
    public struct Position: Codable, Equatable, Sendable {
        public var position: Double
        /// Mean over runs of the relative change at this position.
        public var meanChange: Double?
        /// Pearson r across runs between the change here and the gain.
        public var r: Double?
        /// Mean over pairs of bases of the r, across datasets, between their changes here (Fig. 5c).
        public var crossBase: Double?
        public var pairs: Int

        enum CodingKeys: String, CodingKey {
            case position, r, pairs
            case meanChange = "mean_change"
            case crossBase = "cross_base"
        }
    }

    /// Fig. 5b: at each run's layer nearest position 0.6.
    public struct Point: Codable, Equatable, Sendable {
        public var run: String
        public var base: String
        public var layer: Int
        public var position: Double
        public var change: Double
        public var gain: Double
    }

    public var definition: String
    public var runs: Int
    public var positions: [Position]
    public var points: [Point]
    /// r(change at the layer nearest 0.6, gain): over every run ("all"), then per base.
    public var correlations: [GroupCorrelation]

    public static let grid = (0...20).map { Double($0) / 20 }
    public static let mid = 0.6

    public init(_ table: StudyTable) {
        let index = Dictionary(table.runs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Runs with layer changes and a gain, their changes on the grid.
        var ids: [String] = [], curves: [[Double]] = [], gains: [Double] = [], points: [Point] = []
        for id in table.layerChanges.keys.sorted() {
            guard let i = index[id], let g = table.mainGain(i), let layers = table.layerChanges[id], layers.count >= 2 else { continue }
            let sorted = layers.sorted { $0.position < $1.position }
            ids.append(id)
            gains.append(g)
            curves.append(Self.grid.map { Self.interpolate(sorted, at: $0) })
            let nearest = sorted.min { abs($0.position - Self.mid) < abs($1.position - Self.mid) }!
            points.append(Point(run: id, base: table.runs[i].base, layer: nearest.layer, position: nearest.position, change: nearest.relative, gain: g))
        }
        runs = ids.count
        self.points = points
        let bases = table.bases.map(\.id).filter { b in points.contains { $0.base == b } }
        correlations = [GroupCorrelation("all", points.map(\.change), points.map(\.gain))]
            + bases.map { b in let ps = points.filter { $0.base == b }; return GroupCorrelation(b, ps.map(\.change), ps.map(\.gain)) }
        // Fig. 5c: per base and dataset, the mean change at each position over that base's runs on the dataset.
        var byCell: [String: [String: [Int]]] = [:]
        for (k, id) in ids.enumerated() {
            let r = table.runs[index[id]!]
            guard let d = r.dataset else { continue }
            byCell[r.base, default: [:]][d, default: []].append(k)
        }
        positions = Self.grid.enumerated().map { p, position in
            let xs = curves.map { $0[p] }
            var rs: [Double] = []
            for (a, b) in bases.enumerated().flatMap({ a in bases.dropFirst(a.offset + 1).map { (a.element, $0) } }) {
                let shared = (byCell[a]?.keys.filter { byCell[b]?[$0] != nil } ?? []).sorted()
                guard shared.count >= 3 else { continue }
                func mean(_ base: String, _ d: String) -> Double { let ks = byCell[base]![d]!; return ks.map { curves[$0][p] }.reduce(0, +) / Double(ks.count) }
                if let r = Correlation.pearson(shared.map { mean(a, $0) }, shared.map { mean(b, $0) }) { rs.append(r) }
            }
            return Position(position: position, meanChange: xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count),
                            r: xs.count >= 3 ? Correlation.pearson(xs, gains) : nil,
                            crossBase: rs.isEmpty ? nil : rs.reduce(0, +) / Double(rs.count), pairs: rs.count)
        }
        definition = "Relative change of a layer: ‖W_tuned − W_base‖_F / ‖W_base‖_F over its weight matrices (a weights side table, the 'all' rows of sftatlas weights). "
            + "Each run's layers are interpolated linearly onto positions 0, 0.05, …, 1 (0 = input, 1 = output). Per position: the mean change over runs, "
            + "Pearson r across runs between the change and the run's gain (the mean over the 12 main columns on 0–100), and the mean over pairs of bases "
            + "of the r across shared datasets between the bases' mean changes (Fig. 5c). Fig. 5b: each run's layer nearest position 0.6."
    }

    /// A run's change at a position, linear between its nearest layers (constant beyond its first and last).
    static func interpolate(_ layers: [(layer: Int, position: Double, relative: Double)], at x: Double) -> Double {
        guard let hi = layers.firstIndex(where: { $0.position >= x }) else { return layers.last!.relative }
        guard hi > 0 else { return layers[0].relative }
        let a = layers[hi - 1], b = layers[hi]
        let t = b.position > a.position ? (x - a.position) / (b.position - a.position) : 0
        return a.relative + t * (b.relative - a.relative)
    }
}
