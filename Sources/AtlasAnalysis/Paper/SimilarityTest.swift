/// Fig. 3a–3d: per base, the benchmark × benchmark correlation across datasets and the dataset × dataset
/// correlation across benchmarks; how alike those are between bases; and a paired t-test between the two.
public struct SimilarityTestResult: Codable, Equatable, Sendable {
    public var method: String
    public var definition: String
    public var bases: [StudyTable.Item]
    public var benchmarks: [StudyTable.Item]
    public var datasets: [StudyTable.Item]
    /// Per base: benchmark × benchmark Pearson r of gains across datasets.
    public var benchmarkCorrelation: [[[Double?]]]
    /// Per base: dataset × dataset Pearson r of gains across benchmarks.
    public var datasetCorrelation: [[[Double?]]]
    /// Base × base: Pearson r between two bases' lower triangles of the benchmark correlation.
    public var benchmarkSimilarity: [[Double?]]
    /// Base × base: the same for the dataset correlation.
    public var datasetSimilarity: [[Double?]]
    /// Paired t-test of benchmark similarity against dataset similarity over the lower-triangle base pairs.
    public var t: Double?
    public var df: Double?
    public var p: Double?
    public var meanDifference: Double?
    public var pairs: Int

    enum CodingKeys: String, CodingKey {
        case method, definition, bases, benchmarks, datasets, t, df, p, pairs
        case benchmarkCorrelation = "benchmark_correlation"
        case datasetCorrelation = "dataset_correlation"
        case benchmarkSimilarity = "benchmark_similarity"
        case datasetSimilarity = "dataset_similarity"
        case meanDifference = "mean_difference"
    }

    public init(_ grid: MainGrid) {
        method = grid.method
        bases = grid.bases
        benchmarks = grid.benchmarks
        datasets = grid.datasets
        definition = "For each base, correlations of gains (pairwise-complete Pearson): benchmark × benchmark across "
            + "datasets, and dataset × dataset across benchmarks. Similarity between two bases: Pearson r of the lower "
            + "triangles. Paired t-test: benchmark similarity minus dataset similarity over base pairs."
        let bench = grid.gains.map { g in Correlation.matrix(columnsOf: g) }
        let data = grid.gains.map { g in Correlation.matrix(of: g) }
        benchmarkCorrelation = bench.map(optional)
        datasetCorrelation = data.map(optional)
        let bSim = Correlation.matrix(of: bench.map(Correlation.lowerTriangle))
        let dSim = Correlation.matrix(of: data.map(Correlation.lowerTriangle))
        benchmarkSimilarity = optional(bSim)
        datasetSimilarity = optional(dSim)
        let x = Correlation.lowerTriangle(bSim), y = Correlation.lowerTriangle(dSim)
        let test = PairedTTest.test(x, y)
        t = test?.t
        df = test?.df
        p = test?.p
        meanDifference = test?.meanDifference
        pairs = test?.n ?? 0
    }
}
