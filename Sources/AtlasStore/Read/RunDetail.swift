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

extension AtlasDatabase {
    /// The run with this id, or `nil` when there is none.
    public func run(id: String) throws -> RunDetail? {
        let stmt = try connection.prepare("SELECT \(Self.runColumns) FROM runs r WHERE r.id = ?")
        try stmt.bind(1, id)
        guard try stmt.step() else { return nil }
        let position = stmt.int(0)
        let run = Self.run(from: stmt)
        let values = try scoreValues(run: position)
        var baseValues: [Int: Double] = [:]
        if !run.key.isBase {
            let b = try connection.prepare("SELECT position FROM runs WHERE base_id = ? AND is_base = 1")
            try b.bind(1, run.key.baseID)
            if try b.step() { baseValues = try scoreValues(run: b.int(0)) }
        }
        func byID(_ values: [Int: Double]) -> [String: Double?] {
            Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.id, values[$0]) })
        }
        return RunDetail(row: RunRow(run: run, scores: byID(values)), baseScores: byID(baseValues), in: self)
    }

    /// Column position → value, for the values present.
    private func scoreValues(run position: Int) throws -> [Int: Double] {
        // Scores are keyed (col, run): an IN list makes one seek per column.
        let stmt = try connection.prepare("SELECT col, value FROM scores WHERE col IN (\(allColumnPositions)) AND run = ? AND value IS NOT NULL")
        try stmt.bind(1, position)
        var out: [Int: Double] = [:]
        while try stmt.step() { out[stmt.int(0)] = stmt.double(1) }
        return out
    }
}
