extension AtlasDatabase {
    /// Counts the runs that match `filter`.
    public func count(_ filter: RunFilter) throws -> Int {
        try runIndex().mismatches(filter).reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    }

    /// One page of the runs matching `filter`, in `sort` order, with the scores of `columnIDs`
    /// (every column when `nil`). Unknown column ids are ignored; an unknown sort column sorts canonically.
    ///
    /// Complexity: O(runs) over small in-memory arrays, plus one indexed read of the page's rows.
    /// The first use of a score column reads its values once (O(runs)); the first sort by it ranks them.
    public func runs(_ filter: RunFilter, sort: RunSort = RunSort(), limit: Int = 50, offset: Int = 0,
                     columnIDs: [String]? = nil) throws -> RunPage {
        let index = try runIndex()
        let mask = index.mismatches(filter)
        let total = mask.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        var column: Int?
        var sort = sort
        if case .score(let id) = sort.key {
            column = columnPosition[id]
            if column == nil { sort = RunSort() }
        }
        let positions = try index.page(mask: mask, sort: sort, limit: max(0, limit), offset: max(0, offset),
                                       connection: connection, column: column)
        return RunPage(total: total, rows: try rows(positions, columnIDs: columnIDs))
    }

    /// The runs at `positions`, in that order, with their requested scores.
    func rows(_ positions: [Int], columnIDs: [String]?) throws -> [RunRow] {
        guard !positions.isEmpty else { return [] }
        let wanted: [Int] = (columnIDs ?? columns.map(\.id)).compactMap { columnPosition[$0] }
        let list = positions.map(String.init).joined(separator: ",")
        let stmt = try connection.prepare("SELECT \(Self.runColumns) FROM runs r WHERE r.position IN (\(list))")
        var runs: [Int: Run] = [:]
        while try stmt.step() { runs[stmt.int(0)] = Self.run(from: stmt) }
        var scores: [Int: [String: Double?]] = [:]
        let index = try runIndex()
        for col in wanted {
            let values = try index.values(col, connection: connection)
            let id = columns[col].id
            for p in positions where p < values.count {
                scores[p, default: [:]][id] = .some(values[p].isNaN ? nil : values[p])
            }
        }
        return positions.compactMap { p in runs[p].map { RunRow(run: $0, scores: scores[p] ?? [:]) } }
    }
}
