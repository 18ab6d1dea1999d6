import AtlasDomain

/// Epoch trajectories: every base's `all` runs over epochs 1–10, and the 1k/20k constant-schedule runs
/// averaged over the datasets that have both sizes.
public struct EpochsResult: Codable, Equatable, Sendable {
    public struct Series: Codable, Equatable, Sendable {
        public var base: String
        public var method: String
        public var dataset: String
        public var samples: Int
        public var schedule: String
        public var epochs: [Int]
        /// Benchmark id → one value per entry of `epochs` (null when missing).
        public var values: [String: [Double?]]
    }

    public var definition: String
    public var benchmarks: [StudyTable.Item]
    public var all: [Series]
    public var sampleSize: [Series]

    enum CodingKeys: String, CodingKey {
        case definition, benchmarks, all
        case sampleSize = "sample_size"
    }

    public init(_ table: StudyTable) {
        let benchmarks = table.mainColumns
        self.benchmarks = benchmarks
        let epochs = Array(1...10)
        var all: [Series] = []
        for b in table.bases {
            for method in PaperAnalyses.methods {
                let runs = epochs.map { table.run(base: b.id, dataset: TrainingSet.allID, method: method, epochs: $0, samples: 10_000, schedule: Schedule.cosine.rawValue) }
                guard runs.contains(where: { $0 != nil }) else { continue }
                var values: [String: [Double?]] = [:]
                for k in benchmarks { values[k.id] = runs.map { $0.map { optional(table.value($0, k.id)) } ?? nil } }
                all.append(Series(base: b.id, method: method, dataset: TrainingSet.allID, samples: 10_000, schedule: Schedule.cosine.rawValue, epochs: epochs, values: values))
            }
        }
        self.all = all
        // Datasets with constant-schedule runs at both 1k and 20k, per base.
        var sampleSize: [Series] = []
        for b in table.bases {
            let paired = table.datasets.filter { d in
                [1000, 20_000].allSatisfy { s in epochs.contains { table.run(base: b.id, dataset: d.id, method: Method.full.rawValue, epochs: $0, samples: s, schedule: Schedule.constant.rawValue) != nil } }
            }
            guard !paired.isEmpty else { continue }
            for samples in [1000, 20_000] {
                var values: [String: [Double?]] = [:]
                for k in benchmarks {
                    values[k.id] = epochs.map { e in
                        let xs = paired.compactMap { d in table.run(base: b.id, dataset: d.id, method: Method.full.rawValue, epochs: e, samples: samples, schedule: Schedule.constant.rawValue) }
                            .map { table.value($0, k.id) }.filter { !$0.isNaN }
                        return xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count)
                    }
                }
                sampleSize.append(Series(base: b.id, method: Method.full.rawValue, dataset: "mean of \(paired.count)", samples: samples,
                                         schedule: Schedule.constant.rawValue, epochs: epochs, values: values))
            }
        }
        self.sampleSize = sampleSize
        definition = "Scores by epoch. `all`: each base's runs on the ten merged datasets (10k samples, cosine schedule). "
            + "Sample size: full-parameter constant-schedule runs, averaged per epoch over the datasets that have both 1k and 20k runs."
    }
}

/// A paired comparison summarized per group (benchmark or category).
public struct PairedComparison: Codable, Equatable, Sendable {
    public var group: String
    public var name: String
    /// Mean of (second − first) over the pairs.
    public var meanDifference: Double?
    public var pairs: Int
    public var t: Double?
    public var p: Double?

    enum CodingKeys: String, CodingKey {
        case group, name, pairs, t, p
        case meanDifference = "mean_difference"
    }

    init(group: String, name: String, first: [Double], second: [Double]) {
        self.group = group
        self.name = name
        let keep = first.indices.filter { !first[$0].isNaN && !second[$0].isNaN }
        pairs = keep.count
        meanDifference = keep.isEmpty ? nil : keep.reduce(0) { $0 + second[$1] - first[$1] } / Double(keep.count)
        let test = PairedTTest.test(second, first)
        t = test?.t
        p = test?.p
    }
}

/// 1k vs 20k samples: paired by (base, dataset, epoch) among full-parameter constant-schedule runs.
public struct SampleSizeResult: Codable, Equatable, Sendable {
    public var definition: String
    public var comparisons: [PairedComparison]

    public init(_ table: StudyTable) {
        var pairs: [(Int, Int)] = []
        for (i, r) in table.runs.enumerated() where r.samples == 1000 && r.schedule == Schedule.constant.rawValue && r.method == Method.full.rawValue {
            if let j = table.run(base: r.base, dataset: r.dataset, method: Method.full.rawValue, epochs: r.epochs, samples: 20_000, schedule: Schedule.constant.rawValue) {
                pairs.append((i, j))
            }
        }
        comparisons = table.mainColumns.map { k in
            PairedComparison(group: k.id, name: k.name, first: pairs.map { table.value($0.0, k.id) }, second: pairs.map { table.value($0.1, k.id) })
        }
        definition = "20k minus 1k samples, paired by base, dataset and epoch (full-parameter, constant schedule; "
            + "\(pairs.count) pairs); two-sided paired t-test per benchmark."
    }
}

/// LoRA vs full-parameter: paired by (base, dataset) in the main grid, per benchmark and per category.
public struct LoraVsFullResult: Codable, Equatable, Sendable {
    public var definition: String
    public var byBenchmark: [PairedComparison]
    public var byCategory: [PairedComparison]

    enum CodingKeys: String, CodingKey {
        case definition
        case byBenchmark = "by_benchmark"
        case byCategory = "by_category"
    }

    public init(_ table: StudyTable) {
        let full = MainGrid(table, method: Method.full.rawValue), lora = MainGrid(table, method: Method.lora.rawValue)
        func series(_ g: MainGrid, _ k: Int) -> [Double] { g.gains.flatMap { $0.map { $0[k] } } }
        byBenchmark = table.mainColumns.enumerated().map { k, c in
            PairedComparison(group: c.id, name: c.name, first: series(full, k), second: series(lora, k))
        }
        var categories: [String] = []
        for c in table.mainColumns { let cat = table.columnCategory[c.id] ?? "other"; if !categories.contains(cat) { categories.append(cat) } }
        byCategory = categories.map { cat in
            let ks = table.mainColumns.indices.filter { table.columnCategory[table.mainColumns[$0].id] == cat }
            // One pair per (base, dataset): the mean gain over the category's benchmarks (present ones), each
            // put on 0–100 first, so that a 1–10 rating and a percentage weigh alike.
            let scale = ks.map { table.columnScale[table.mainColumns[$0].id] ?? 1 }
            func means(_ g: MainGrid) -> [Double] {
                g.gains.flatMap { $0.map { row in
                    let xs = zip(ks, scale).map { row[$0] * $1 }.filter { !$0.isNaN }
                    return xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
                } }
            }
            return PairedComparison(group: cat, name: cat, first: means(full), second: means(lora))
        }
        definition = "LoRA gain minus full-parameter gain, paired by base and dataset in the main grid; per category, "
            + "each pair's gain is the mean over the category's main benchmarks of gains on 0–100 (percentages as they are, 1–10 ratings ×10, 0–1 fractions ×100)."
    }
}

/// The leave-one-out ablation: the change against `all` when each dataset is left out.
public struct AblationResult: Codable, Equatable, Sendable {
    public struct Row: Codable, Equatable, Sendable {
        public var base: String
        public var method: String
        public var leftOut: String
        /// Benchmark id → score of the w/o run minus score of the `all` run (null when missing).
        public var change: [String: Double?]

        enum CodingKeys: String, CodingKey {
            case base, method, change
            case leftOut = "left_out"
        }
    }

    public var definition: String
    public var benchmarks: [StudyTable.Item]
    public var rows: [Row]

    public init(_ table: StudyTable) {
        let benchmarks = table.mainColumns
        self.benchmarks = benchmarks
        var rows: [Row] = []
        for (i, r) in table.runs.enumerated() {
            guard let d = r.dataset, TrainingSet.isLeaveOneOut(d), let method = r.method else { continue }
            guard let all = table.run(base: r.base, dataset: TrainingSet.allID, method: method, epochs: r.epochs, samples: 10_000, schedule: r.schedule) else { continue }
            var change: [String: Double?] = [:]
            for k in benchmarks { change[k.id] = optional(table.value(i, k.id) - table.value(all, k.id)) }
            rows.append(Row(base: r.base, method: method, leftOut: String(d.dropFirst(3)), change: change))
        }
        self.rows = rows
        definition = "Score of the run trained on all datasets but one minus the score of the run trained on all ten, "
            + "same base, method, schedule and epoch."
    }
}

/// Cross-lingual transfer (Fig. A.1): correlation of MMLU, MMLU-jp and MMLU-zh gains.
public struct CrossLingualResult: Codable, Equatable, Sendable {
    public struct Pair: Codable, Equatable, Sendable {
        public var group: String
        public var first: String
        public var second: String
        public var r: Double?
        public var n: Int
    }

    /// One main-grid run's gains on the three columns (`nil` where missing), for the scatter plots.
    public struct Point: Codable, Equatable, Sendable {
        public var id: String
        public var base: String
        public var language: String
        public var gains: [Double?]
    }

    public var definition: String
    public var pairs: [Pair]
    /// Gains per run, in the order of `columns`.
    public var points: [Point]
    public var columns: [String]

    public static let columns = ["mmlu-0shot", "jmmlu-0shot", "cmmlu-0shot"]
    /// The group of every base, beside one group per pretraining language (a label in the document).
    public static let everyBase = "all"

    public init(_ table: StudyTable) {
        // Every fine-tuned main-grid run of either method.
        let runs = table.runs.indices.filter { i in
            let r = table.runs[i]
            return !r.isBase && r.samples == 1000 && r.schedule == Schedule.cosine.rawValue && table.mainBases.contains { $0.id == r.base }
        }
        var groups: [(String, [Int])] = [(CrossLingualResult.everyBase, runs)]
        var languages: [String] = []
        for b in table.mainBases { let l = table.baseLanguage[b.id] ?? "unknown"; if !languages.contains(l) { languages.append(l) } }
        for l in languages { groups.append((l, runs.filter { table.baseLanguage[table.runs[$0].base] == l })) }
        var pairs: [Pair] = []
        let cols = Self.columns
        for (group, members) in groups {
            for a in 0..<cols.count {
                for b in (a + 1)..<cols.count {
                    let x = members.map { table.gain($0, cols[a]) }, y = members.map { table.gain($0, cols[b]) }
                    let n = x.indices.filter { !x[$0].isNaN && !y[$0].isNaN }.count
                    pairs.append(Pair(group: group, first: cols[a], second: cols[b], r: Correlation.pearson(x, y), n: n))
                }
            }
        }
        self.pairs = pairs
        columns = cols
        points = runs.map { i in
            let run = table.runs[i]
            return Point(id: run.id, base: run.base, language: table.baseLanguage[run.base] ?? "unknown",
                         gains: cols.map { optional(table.gain(i, $0)) })
        }
        definition = "Pearson r between gains on MMLU (mmlu-0shot), MMLU-jp (jmmlu-0shot) and MMLU-zh (cmmlu-0shot) "
            + "over the main-grid runs of both methods, overall and per base pretraining language."
    }
}
