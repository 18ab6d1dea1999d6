import AtlasDomain
import Foundation

/// The per-method analyses of the main grid (Figs. 2a–2d, 3c–3d), computed once per table: what the
/// documents store, what the claims read, and what `Sensitivity` recomputes for each variant.
struct GridAnalyses {
    var gains: [String: GainMatrixResult] = [:]
    var correlations: [String: ModelCorrelationResult] = [:]
    var pcas: [String: PCAResult] = [:]
    var similarity: [String: SimilarityTestResult] = [:]

    init(_ table: StudyTable) {
        for m in PaperAnalyses.methods {
            let grid = MainGrid(table, method: m)
            gains[m] = GainMatrixResult(grid)
            correlations[m] = ModelCorrelationResult(grid)
            pcas[m] = PCAResult(grid)
            similarity[m] = SimilarityTestResult(grid)
        }
    }

    /// The claims, given the map (not refit), the cross-lingual result and the length result.
    func claims(map: ScoreMapResult, cross: CrossLingualResult, families: [String: String], side: SideResults) -> ClaimsResult {
        ClaimsResult(pca: pcas, correlation: correlations, gains: gains, map: map, crossLingual: cross, similarity: similarity, families: families,
                     length: side.length, perplexity: side.perplexity, weights: side.weights)
    }
}

/// The analyses of the data beside the scores: Table 2's lengths, and the side tables a user supplies.
struct SideResults {
    var length: DatasetLengthResult?
    var perplexity: PerplexityResult?
    var weights: WeightChangeResult?

    init(_ table: StudyTable) {
        length = table.datasetLength.isEmpty ? nil : DatasetLengthResult(table)
        perplexity = table.perplexity.isEmpty ? nil : PerplexityResult(table)
        weights = table.layerChanges.isEmpty ? nil : WeightChangeResult(table)
    }
}

/// The main statistic of a figure that no claim covers, as a number with its name, so that it can be
/// recomputed with flagged data left out and shown beside the original (the figures with a claim show the
/// claim's own sensitivity).
public struct FigureStatistic: Codable, Equatable, Sendable {
    /// The analysis (document name) and method of the figures it summarizes.
    public var analysis: String
    public var method: String?
    /// What it is, in words, with its unit.
    public var statistic: String
    public var value: Double?
    /// Where the figure's reading changes, if anywhere (the paper's 0.01 for the similarity test's p): a variant on the other side of
    /// it changes the reading; otherwise a variant moves when it differs by over a tenth of the value.
    public var threshold: Double?
    /// The same statistic with flagged data left out; empty when the audit flags nothing.
    public var variants: [Variant]

    public struct Variant: Codable, Equatable, Sendable {
        public var variant: String
        public var value: Double?
    }

    /// Every figure statistic of a table. Means over mixed columns put each on 0–100 first (percentages as
    /// they are, 1–10 ratings ×10, 0–1 fractions ×100).
    static func compute(_ table: StudyTable, grid: GridAnalyses) -> [FigureStatistic] {
        var out: [FigureStatistic] = []
        func add(_ analysis: String, _ method: String?, _ statistic: String, _ value: Double?, threshold: Double? = nil) {
            out.append(FigureStatistic(analysis: analysis, method: method, statistic: statistic, value: value.flatMap { $0.isFinite ? $0 : nil },
                                       threshold: threshold, variants: []))
        }
        for m in PaperAnalyses.methods {
            // Fig. 2c: the mean Pearson r over pairs of distinct bases.
            if let c = grid.correlations[m] {
                var rs: [Double] = []
                for i in c.matrix.indices { for j in c.matrix[i].indices where j > i { if let r = c.matrix[i][j] { rs.append(r) } } }
                add("model-correlation", m, "mean r between two bases' gain matrices", mean(rs))
            }
            // Figs. 3c–3d: the paired t-test of benchmark against dataset similarity.
            if let s = grid.similarity[m] {
                add("similarity-test", m, "t (benchmark − dataset similarity, paired over base pairs)", s.t)
                // The paper reports the test at p < 0.01, so a variant is marked when p crosses that level.
                add("similarity-test", m, "p (two-sided; the paper's level is 0.01)", s.p, threshold: 0.01)
                add("similarity-test", m, "mean difference, benchmark − dataset similarity", s.meanDifference)
            }
        }
        let scale = { (id: String) in table.columnScale[id] ?? 1 }
        // Epochs: per method, the mean change from epoch 1 to epoch 10 of the main-grid bases' all-datasets runs
        // (the paper leaves Gemma2-9B out of its main figures), over series and main benchmarks.
        let epochs = EpochsResult(table)
        let mainBases = Set(table.mainBases.map(\.id))
        for m in PaperAnalyses.methods {
            var changes: [Double] = []
            // (Dictionaries are read in key order: their own order changes from one process to the next, and so
            // would the last digits of a floating-point sum.)
            for s in epochs.all where s.method == m && mainBases.contains(s.base) {
                for (k, v) in s.values.sorted(by: { $0.key < $1.key }) {
                    guard let first = v.first ?? nil, let last = v.last ?? nil else { continue }
                    changes.append((last - first) * scale(k))
                }
            }
            add("epochs", m, "mean change from epoch 1 to epoch 10, all-datasets runs of the main-grid bases, points on 0–100", mean(changes))
        }
        // Sample size: the mean over main benchmarks of the mean paired 20k − 1k difference; and how many differ at p < 0.05.
        let sizes = SampleSizeResult(table).comparisons
        add("sample-size", nil, "mean of the per-benchmark mean differences, 20k − 1k, points on 0–100",
            mean(sizes.compactMap { c in c.meanDifference.map { $0 * scale(c.group) } }))
        add("sample-size", nil, "main benchmarks where 20k differs from 1k at p < 0.05", Double(sizes.filter { ($0.p ?? 1) < 0.05 }.count))
        // LoRA vs full: the mean paired difference per category (already on 0–100).
        for c in LoraVsFullResult(table).byCategory {
            add("lora-vs-full", nil, "LoRA − full, \(c.name), points on 0–100", c.meanDifference)
        }
        // Ablation: the mean change when one dataset is left out, per method, over rows and main benchmarks.
        let ablation = AblationResult(table)
        for m in PaperAnalyses.methods {
            var xs: [Double] = []
            for r in ablation.rows where r.method == m { for (k, v) in r.change.sorted(by: { $0.key < $1.key }) { if let v { xs.append(v * scale(k)) } } }
            add("ablation", m, "mean change, without one dataset − with all ten, points on 0–100", mean(xs))
        }
        return out
    }

    /// Whether a variant's value reads differently from the original: across the threshold, or (without
    /// one) by over a tenth of the original's size; a value that appears or vanishes does too.
    public func changes(_ variant: Double?) -> Bool {
        guard let v = variant, let x = value else { return (variant == nil) != (value == nil) }
        if let threshold { return (v < threshold) != (x < threshold) }
        return abs(v - x) > 0.1 * abs(x)
    }

    private static func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }
}
