import AtlasDomain

/// The paper's main grid for one method: main-grid bases × the ten datasets, 1k samples, cosine
/// schedule, at the epoch present for those runs (the highest, when several are).
public struct MainGrid: Sendable {
    public let method: String
    public let bases: [StudyTable.Item]
    public let datasets: [StudyTable.Item]
    public let benchmarks: [StudyTable.Item]
    /// gains[b][d][k]: base b, dataset d, benchmark k; NaN when the run or a score is missing.
    public let gains: [[[Double]]]

    public init(_ table: StudyTable, method: String) {
        self.method = method
        bases = table.mainBases
        datasets = table.datasets
        benchmarks = table.mainColumns
        var best: [String: (epochs: Int, index: Int)] = [:]
        for (i, r) in table.runs.enumerated() where r.method == method && r.samples == 1000 && r.schedule == Schedule.cosine.rawValue {
            guard let d = r.dataset else { continue }
            let key = r.base + "\u{1}" + d
            if best[key].map({ r.epochs > $0.epochs }) ?? true { best[key] = (r.epochs, i) }
        }
        var gains: [[[Double]]] = []
        for b in bases {
            var gb: [[Double]] = []
            for d in datasets {
                if let i = best[b.id + "\u{1}" + d.id]?.index {
                    gb.append(benchmarks.map { table.gain(i, $0.id) })
                } else {
                    gb.append(benchmarks.map { _ in .nan })
                }
            }
            gains.append(gb)
        }
        self.gains = gains
    }
}

/// Fig. 2a and 2b: the gain matrices.
public struct GainMatrixResult: Codable, Equatable, Sendable {
    public var method: String
    public var definition: String
    public var bases: [StudyTable.Item]
    public var datasets: [StudyTable.Item]
    public var benchmarks: [StudyTable.Item]
    /// Dataset × benchmark: mean gain over the bases with a value.
    public var mean: [[Double?]]
    /// `mean` min-max scaled per benchmark to [−1, 1]: 2 (x − min) / (max − min) − 1.
    public var scaled: [[Double?]]
    /// Number of bases behind each mean.
    public var counts: [[Int]]
    /// Per base: dataset × benchmark gains.
    public var perBase: [[[Double?]]]

    public init(_ grid: MainGrid) {
        method = grid.method
        definition = "Gain: a fine-tuned run's score minus its base model's score in the same column. Main grid: "
            + "\(grid.bases.count) bases × \(grid.datasets.count) datasets, 1k samples, cosine schedule, \(grid.method) method."
        bases = grid.bases
        datasets = grid.datasets
        benchmarks = grid.benchmarks
        var mean: [[Double]] = []
        var counts: [[Int]] = []
        for d in grid.datasets.indices {
            var row: [Double] = [], n: [Int] = []
            for k in grid.benchmarks.indices {
                let xs = grid.bases.indices.map { grid.gains[$0][d][k] }.filter { !$0.isNaN }
                row.append(xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count))
                n.append(xs.count)
            }
            mean.append(row)
            counts.append(n)
        }
        var scaled = mean
        for k in grid.benchmarks.indices {
            let column = mean.map { $0[k] }.filter { !$0.isNaN }
            guard let lo = column.min(), let hi = column.max() else { continue }
            for d in mean.indices where !mean[d][k].isNaN {
                scaled[d][k] = hi > lo ? 2 * (mean[d][k] - lo) / (hi - lo) - 1 : 0
            }
        }
        self.mean = optional(mean)
        self.scaled = optional(scaled)
        self.counts = counts
        perBase = grid.gains.map(optional)
    }
}

/// Fig. 2c: how alike the bases' gain matrices are, and their clustering.
public struct ModelCorrelationResult: Codable, Equatable, Sendable {
    public var method: String
    public var definition: String
    public var labels: [StudyTable.Item]
    /// Pearson r of the flattened dataset × benchmark gain matrices, pairwise-complete.
    public var matrix: [[Double?]]
    /// Leaf order of the average-linkage dendrogram on 1 − r.
    public var order: [Int]
    public var merges: [Linkage.Merge]

    public init(_ grid: MainGrid) {
        method = grid.method
        definition = "Pearson correlation between bases of their flattened dataset × benchmark gain matrices "
            + "(pairwise-complete), clustered by average linkage on 1 − r."
        labels = grid.bases
        let flat = grid.gains.map { $0.flatMap { $0 } }
        let r = Correlation.matrix(of: flat)
        matrix = optional(r)
        let linkage = Linkage(distances: r.map { $0.map { $0.isNaN ? 1 : 1 - $0 } })
        order = linkage.order
        merges = linkage.merges
    }
}

/// Fig. 2d: principal components of the stacked gain matrices.
public struct PCAResult: Codable, Equatable, Sendable {
    public var method: String
    public var definition: String
    public var benchmarks: [StudyTable.Item]
    public var explainedVarianceRatio: [Double]
    public var cumulative: [Double]
    /// (base, dataset) rows used, and rows dropped because a benchmark was missing.
    public var rows: Int
    public var droppedRows: Int

    enum CodingKeys: String, CodingKey {
        case method, definition, benchmarks, rows
        case explainedVarianceRatio = "explained_variance_ratio"
        case cumulative
        case droppedRows = "dropped_rows"
    }

    public init(_ grid: MainGrid) {
        method = grid.method
        benchmarks = grid.benchmarks
        let stacked = grid.gains.flatMap { $0 }
        let complete = stacked.filter { row in !row.contains { $0.isNaN } }
        rows = complete.count
        droppedRows = stacked.count - complete.count
        definition = "PCA of the stacked (base, dataset) × benchmark gain matrix, centred and not scaled; "
            + "\(droppedRows) incomplete rows dropped."
        if complete.count >= 2 {
            let pca = PCA(rows: complete)
            explainedVarianceRatio = pca.explainedVarianceRatio
            cumulative = pca.cumulative
        } else {
            explainedVarianceRatio = []
            cumulative = []
        }
    }
}
