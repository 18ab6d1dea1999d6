/// Normalized results, ready to be written: what ingest produces and `StoreWriter` stores.
public struct ResultSet: Sendable {
    public var bases: [BaseModel]
    public var datasets: [Dataset]
    public var columns: [ScoreColumn]
    /// Runs in canonical order; `scores[i]` belongs to `runs[i]`.
    public var runs: [Run]
    /// Per run, one value per entry of `columns`; NaN marks a missing value.
    public var scores: [[Double]]
    public var provenance: [Provenance]
    public var hyperparameters: [GridHyperparameters]
    public var grid: [GridCell]

    public init(bases: [BaseModel], datasets: [Dataset], columns: [ScoreColumn], runs: [Run], scores: [[Double]],
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
}
