import AtlasDomain

/// The results as the analyses need them: plain values, no I/O. Built by ingest from the normalized runs.
public struct StudyTable: Sendable {
    public struct Run: Sendable {
        public var id: String
        public var base: String
        /// `nil` for a base model's own row.
        public var dataset: String?
        /// `full`, `lora`, or `nil` for a base row.
        public var method: String?
        public var epochs: Int
        public var samples: Int
        /// `cosine`, `constant`, or `nil` for a base row.
        public var schedule: String?

        public init(id: String, base: String, dataset: String?, method: String?, epochs: Int, samples: Int, schedule: String?) {
            self.id = id
            self.base = base
            self.dataset = dataset
            self.method = method
            self.epochs = epochs
            self.samples = samples
            self.schedule = schedule
        }

        public var isBase: Bool { dataset == nil }
    }

    /// An item with an id and a display name (a base, dataset or column).
    public struct Item: Codable, Equatable, Sendable {
        public var id: String
        public var name: String
        public init(id: String, name: String) { self.id = id; self.name = name }
    }

    public var runs: [Run]
    /// Score column ids, in the order of `values`' columns.
    public var columns: [Item]
    /// Run-major values: `values[i * columns.count + c]`; NaN marks a missing value.
    public var values: [Double]
    /// The paper's twelve main columns, in its order.
    public var mainColumns: [Item]
    /// The bases of the main grid (all but Gemma2-9B), in display order.
    public var mainBases: [Item]
    /// Every base, in display order, with its pretraining language and family.
    public var bases: [Item]
    public var baseLanguage: [String: String]
    public var baseFamily: [String: String]
    /// The ten source datasets, in display order.
    public var datasets: [Item]
    /// Category of each column id (`math`, `coding`, `knowledge`, …).
    public var columnCategory: [String: String]
    /// Per column id, the factor that puts its values on 0–100 (fractions ×100, 1–10 ratings ×10); 1 when absent.
    public var columnScale: [String: Double]
    /// Per dataset id, its mean length in words (the paper's Table 2), where known.
    public var datasetLength: [String: Double] = [:]
    /// Side data a user supplies: per (base, dataset), the training data's perplexity under the base and its
    /// mean length in tokens; per run id, each layer's relative weight change over its matrices.
    public var perplexity: [CellKey: (perplexity: Double, tokens: Double?)] = [:]
    public var layerChanges: [String: [(layer: Int, position: Double, relative: Double)]] = [:]

    public struct CellKey: Hashable, Sendable {
        public var base: String, dataset: String
        public init(base: String, dataset: String) { (self.base, self.dataset) = (base, dataset) }
    }

    public init(runs: [Run], columns: [Item], values: [Double], mainColumns: [Item], mainBases: [Item], bases: [Item],
                baseLanguage: [String: String], baseFamily: [String: String], datasets: [Item], columnCategory: [String: String],
                columnScale: [String: Double] = [:]) {
        self.runs = runs
        self.columns = columns
        self.values = values
        self.mainColumns = mainColumns
        self.mainBases = mainBases
        self.bases = bases
        self.baseLanguage = baseLanguage
        self.baseFamily = baseFamily
        self.datasets = datasets
        self.columnCategory = columnCategory
        self.columnScale = columnScale
        self.columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.id, $0) })
        var byKey: [Key: Int] = [:]
        for (i, r) in runs.enumerated() { byKey[Key(r)] = i }
        self.runIndex = byKey
    }

    private let columnIndex: [String: Int]
    private let runIndex: [Key: Int]

    /// Run lookup key.
    struct Key: Hashable {
        var base: String, dataset: String?, method: String?, epochs: Int, samples: Int, schedule: String?
        init(_ r: Run) { (base, dataset, method, epochs, samples, schedule) = (r.base, r.dataset, r.method, r.epochs, r.samples, r.schedule) }
        init(base: String, dataset: String?, method: String?, epochs: Int, samples: Int, schedule: String?) {
            (self.base, self.dataset, self.method, self.epochs, self.samples, self.schedule) = (base, dataset, method, epochs, samples, schedule)
        }
    }

    /// The index of the run with this key, if present.
    func run(base: String, dataset: String?, method: String?, epochs: Int, samples: Int, schedule: String?) -> Int? {
        runIndex[Key(base: base, dataset: dataset, method: method, epochs: epochs, samples: samples, schedule: schedule)]
    }

    /// The base row of `base`.
    func baseRun(_ base: String) -> Int? { run(base: base, dataset: nil, method: nil, epochs: 0, samples: 0, schedule: nil) }

    /// Value of run `i` in column `id`; NaN when missing or the column is unknown.
    func value(_ i: Int, _ column: String) -> Double {
        guard let c = columnIndex[column] else { return .nan }
        return values[i * columns.count + c]
    }

    /// Run `i`'s gain as the side-data figures use it: the mean over the main columns of its gain put on
    /// 0–100 (percentages as they are, 1–10 ratings ×10, 0–1 fractions ×100); nil when any is missing.
    public func mainGain(_ i: Int) -> Double? {
        guard !mainColumns.isEmpty else { return nil }
        var sum = 0.0
        for c in mainColumns {
            let g = gain(i, c.id)
            guard !g.isNaN else { return nil }
            sum += g * (columnScale[c.id] ?? 1)
        }
        return sum / Double(mainColumns.count)
    }

    /// The main-grid runs (1k samples, cosine schedule, either method) of a base on a dataset.
    func cellRuns(base: String, dataset: String) -> [Int] {
        runs.indices.filter { i in
            let r = runs[i]
            return r.base == base && r.dataset == dataset && r.samples == 1000 && r.schedule == Schedule.cosine.rawValue
        }
    }

    /// A (base, dataset) cell's gain: the mean of its main-grid runs' `mainGain`s, and how many there are
    /// (runs missing a main column left out); nil when none has one.
    public func cellGain(base: String, dataset: String) -> (gain: Double, runs: Int)? {
        let gains = cellRuns(base: base, dataset: dataset).compactMap(mainGain)
        return gains.isEmpty ? nil : (gains.reduce(0, +) / Double(gains.count), gains.count)
    }

    /// A cell's mean gain on one column, on 0–100, over its main-grid runs that have it.
    func cellGain(base: String, dataset: String, column: String) -> Double? {
        let gains = cellRuns(base: base, dataset: dataset).map { gain($0, column) }.filter { !$0.isNaN }
        return gains.isEmpty ? nil : gains.reduce(0, +) / Double(gains.count) * (columnScale[column] ?? 1)
    }

    /// Run `i`'s score minus its base's score in `column`; NaN when either is missing.
    func gain(_ i: Int, _ column: String) -> Double {
        guard let b = baseRun(runs[i].base) else { return .nan }
        return value(i, column) - value(b, column)
    }
}

/// NaN becomes `nil`, for JSON.
func optional(_ x: Double) -> Double? { x.isNaN || x.isInfinite ? nil : x }
func optional(_ m: [[Double]]) -> [[Double?]] { m.map { $0.map(optional) } }
func optional(_ v: [Double]) -> [Double?] { v.map(optional) }
