/// One run with every score, its base model's score in the same column, and the gain.
public struct RunDetail: Equatable, Sendable {
    public struct Score: Equatable, Sendable {
        public var column: ScoreColumn
        /// `nil` when the result is missing.
        public var value: Double?
        /// The base model's own score in this column; `nil` when missing (or for a base row itself).
        public var baseValue: Double?
        /// `value - baseValue`; `nil` when either is missing, and for a base row.
        public var gain: Double?
    }

    public var run: Run
    public var base: BaseModel
    public var dataset: Dataset?
    public var scores: [Score]
}

extension RunDetail {
    /// Assembles a run's detail from its row (with every column's score) and its base model's scores,
    /// which are ignored for a base model itself. `nil` when the run's base model is not in `db`.
    public init?(row: RunRow, baseScores: [String: Double?]?, in db: AtlasDatabase) {
        let run = row.run
        guard let base = db.bases.first(where: { $0.id == run.key.baseID }) else { return nil }
        let dataset = run.key.datasetID.flatMap { id in db.datasets.first { $0.id == id } }
        let scores = db.columns.map { column -> Score in
            let value = row.scores[column.id] ?? nil
            let baseValue = run.key.isBase ? nil : baseScores?[column.id] ?? nil
            let gain = value.flatMap { v in baseValue.map { v - $0 } }
            return Score(column: column, value: value, baseValue: baseValue, gain: gain)
        }
        self.init(run: run, base: base, dataset: dataset, scores: scores)
    }
}
