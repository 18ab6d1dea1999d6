/// Normalized results, ready to be written: what ingest produces and `StoreWriter` stores.
public struct ResultSet: Sendable {
    public var bases: [BaseModel]
    public var datasets: [Dataset]
    public var columns: [ScoreColumn]
    /// Runs in canonical order.
    public var runs: [Run]
    /// Run-major values: run `i`'s value in column `c` is `scores[i * columns.count + c]`; NaN marks a missing value.
    public var scores: [Double]
    public var provenance: [Provenance]
    public var hyperparameters: [GridHyperparameters]
    public var grid: [GridCell]
    /// The paper's analyses, computed at ingest, as JSON documents.
    public var analyses: [StoredAnalysis] = []
    /// Where each user score came from (released scores have none).
    public var scoreSources: [ScoreSource] = []

    public init(bases: [BaseModel], datasets: [Dataset], columns: [ScoreColumn], runs: [Run], scores: [Double],
                provenance: [Provenance], hyperparameters: [GridHyperparameters], grid: [GridCell]) {
        self.bases = bases
        self.datasets = datasets
        self.columns = columns
        self.runs = runs
        self.scores = scores
        self.provenance = provenance
        self.hyperparameters = hyperparameters
        self.grid = grid
    }

    /// Run `run`'s value in column `column`; NaN when missing.
    public func score(run: Int, column: Int) -> Double {
        scores[run * columns.count + column]
    }
}

/// One analysis as stored: its document name, the method it applies to (`nil`: none), and its JSON.
public struct StoredAnalysis: Equatable, Sendable {
    public var name: String
    public var method: String?
    public var json: String

    public init(name: String, method: String?, json: String) {
        self.name = name
        self.method = method
        self.json = json
    }
}
