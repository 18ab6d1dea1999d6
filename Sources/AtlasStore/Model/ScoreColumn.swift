/// One score column of the results: a benchmark at a number of shots, or a sub-score of one.
public struct ScoreColumn: Equatable, Sendable {
    /// What the numbers mean.
    public enum Unit: String, Sendable, CaseIterable {
        /// 0–100.
        case percent
        /// 0–1.
        case fraction
        /// A judge's rating, 1–10 (MT-Bench).
        case rating
        /// Not in the registry: the scale is unknown.
        case unknown

        /// The factor that puts a value on 0–100, for anything that mixes columns (an average, a chart
        /// across benchmarks): percentages as they are, ratings ×10, fractions ×100; an unknown unit as it is.
        public var toHundred: Double {
            switch self {
            case .percent, .unknown: return 1
            case .fraction: return 100
            case .rating: return 10
            }
        }
    }

    /// URL-safe id, stable across re-ingests: `mbpp-4shot`, `mtbench-writing`.
    public var id: String
    /// The header in the released CSV: `mbpp_4shot`, `Truthful_QA-0shot`.
    public var sourceName: String
    /// URL-safe benchmark id: `mbpp`, `truthfulqa`.
    public var benchmark: String
    /// The benchmark's display name: `MBPP`, `TruthfulQA`.
    public var benchmarkName: String
    /// The column's display name: `MBPP (4-shot)`, `MT-Bench: writing`.
    public var displayName: String
    /// Number of in-context examples; `nil` for judged open-ended generation (MT-Bench, AlpacaEval).
    public var shots: Int?
    /// The paper's Table 3 categories (`math`, `coding`, `knowledge`, `examination`, `instruction following`), and
    /// `reasoning` (HellaSwag), `long context` (LongBench v2) or `other` for columns the paper does not list.
    public var category: String
    public var unit: Unit
    /// The scale's ends in `unit`; `nil` when unknown.
    public var scaleMin: Double?
    public var scaleMax: Double?
    public var higherIsBetter: Bool
    /// One of the twelve main-text columns of the paper.
    public var isMain: Bool
    /// `false` when the column was not in the registry and its metadata was inferred at ingest.
    public var registered: Bool

    public init(id: String, sourceName: String, benchmark: String, benchmarkName: String, displayName: String,
                shots: Int?, category: String, unit: Unit, scaleMin: Double?, scaleMax: Double?,
                higherIsBetter: Bool = true, isMain: Bool = false, registered: Bool = true) {
        self.id = id
        self.sourceName = sourceName
        self.benchmark = benchmark
        self.benchmarkName = benchmarkName
        self.displayName = displayName
        self.shots = shots
        self.category = category
        self.unit = unit
        self.scaleMin = scaleMin
        self.scaleMax = scaleMax
        self.higherIsBetter = higherIsBetter
        self.isMain = isMain
        self.registered = registered
    }
}
