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

extension AtlasDatabase {
    /// The run with this id, or `nil` when there is none.
    public func run(id: String) throws -> RunDetail? {
        let stmt = try connection.prepare("SELECT \(Self.runColumns) FROM runs r WHERE r.id = ?")
        try stmt.bind(1, id)
        guard try stmt.step() else { return nil }
        let position = stmt.int(0)
        let run = Self.run(from: stmt)
        guard let base = bases.first(where: { $0.id == run.key.baseID }) else { return nil }
        let dataset = run.key.datasetID.flatMap { id in datasets.first { $0.id == id } }

        let values = try scoreValues(run: position)
        var baseValues: [Int: Double] = [:]
        if !run.key.isBase {
            let b = try connection.prepare("SELECT position FROM runs WHERE base_id = ? AND is_base = 1")
            try b.bind(1, run.key.baseID)
            if try b.step() { baseValues = try scoreValues(run: b.int(0)) }
        }
        let scores = columns.enumerated().map { i, column -> RunDetail.Score in
            let value = values[i]
            let baseValue = run.key.isBase ? nil : baseValues[i]
            let gain = value.flatMap { v in baseValue.map { v - $0 } }
            return RunDetail.Score(column: column, value: value, baseValue: baseValue, gain: gain)
        }
        return RunDetail(run: run, base: base, dataset: dataset, scores: scores)
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
