/// A map of every fine-tuned model (the analogue of the paper's Fig. 6, made from score vectors because
/// log-likelihood vectors were not released): t-SNE of standardized main-benchmark scores.
public struct ScoreMapResult: Codable, Equatable, Sendable {
    public struct Point: Codable, Equatable, Sendable {
        public var id: String
        public var x: Double
        public var y: Double
        public var base: String
        public var dataset: String
        public var method: String
        public var samples: Int
        public var epochs: Int
    }

    public var definition: String
    public var benchmarks: [StudyTable.Item]
    public var points: [Point]
    /// Missing scores replaced by their column's mean before standardizing.
    public var imputedCells: Int
    public var silhouetteByBase: Double?
    public var silhouetteByDataset: Double?
    public var perplexity: Double
    public var iterations: Int
    public var seed: UInt64
    public var kl: Double

    enum CodingKeys: String, CodingKey {
        case definition, benchmarks, points, perplexity, iterations, seed, kl, runs, sampled
        case imputedCells = "imputed_cells"
        case silhouetteByBase = "silhouette_by_base"
        case silhouetteByDataset = "silhouette_by_dataset"
    }

    /// Exact t-SNE needs O(n²) memory: above this many runs the map embeds an evenly spaced sample.
    public static let maximumPoints = 1200

    /// Fine-tuned runs in the data, and how many of them the map shows.
    public var runs: Int
    public var sampled: Int

    public init(_ table: StudyTable, tsne: TSNE = TSNE(perplexity: 30, iterations: 600, seed: 20_250_615)) {
        let benchmarks = table.mainColumns
        self.benchmarks = benchmarks
        let allTuned = table.runs.indices.filter { !table.runs[$0].isBase }
        let stride = max(1, (allTuned.count + Self.maximumPoints - 1) / Self.maximumPoints)
        let tuned = Swift.stride(from: 0, to: allTuned.count, by: stride).map { allTuned[$0] }
        runs = allTuned.count
        sampled = tuned.count
        var matrix = tuned.map { i in benchmarks.map { table.value(i, $0.id) } }
        var imputed = 0
        for k in benchmarks.indices {
            let present = matrix.map { $0[k] }.filter { !$0.isNaN }
            let mean = present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
            let sd = present.count > 1
                ? (present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(present.count - 1)).squareRoot() : 0
            for r in matrix.indices {
                if matrix[r][k].isNaN { matrix[r][k] = mean; imputed += 1 }
                matrix[r][k] = sd > 0 ? (matrix[r][k] - mean) / sd : 0
            }
        }
        imputedCells = imputed
        let embedding = tsne.embed(matrix)
        points = tuned.enumerated().map { n, i in
            let r = table.runs[i]
            return Point(id: r.id, x: embedding.coordinates[n][0], y: embedding.coordinates[n][1], base: r.base,
                         dataset: r.dataset ?? "", method: r.method ?? "", samples: r.samples, epochs: r.epochs)
        }
        func labels(_ key: (StudyTable.Run) -> String) -> [Int] {
            var codes: [String: Int] = [:]
            return tuned.map { i in
                let k = key(table.runs[i])
                if let c = codes[k] { return c }
                codes[k] = codes.count
                return codes.count - 1
            }
        }
        silhouetteByBase = Silhouette.score(points: embedding.coordinates, labels: labels { $0.base })
        silhouetteByDataset = Silhouette.score(points: embedding.coordinates, labels: labels { $0.dataset ?? "" })
        perplexity = tsne.perplexity
        iterations = tsne.iterations
        seed = tsne.seed
        kl = embedding.kl
        let which = tuned.count == allTuned.count ? "every fine-tuned run's"
            : "every \(stride)th fine-tuned run (\(tuned.count) of \(allTuned.count), in canonical order):"
        definition = "t-SNE (exact, perplexity \(Int(tsne.perplexity)), \(tsne.iterations) iterations, seed \(tsne.seed)) of \(which) "
            + "\(benchmarks.count) main-benchmark scores, each standardized to mean 0 and standard deviation 1; "
            + "\(imputed) missing scores were replaced by their column's mean first. Silhouette scores use Euclidean "
            + "distance in the map."
    }
}
