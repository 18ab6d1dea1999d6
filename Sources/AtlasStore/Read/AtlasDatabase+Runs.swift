extension AtlasDatabase {
    /// Below this many matching runs, a score-sorted page is made by sorting the matches; above it, by
    /// walking the `(column, value)` index in order until the page is full.
    static let sortInMemoryBelow = 4000

    /// Counts the runs that match `filter`.
    public func count(_ filter: RunFilter) throws -> Int {
        let (condition, params) = filter.sql()
        let stmt = try connection.prepare("SELECT count(*) FROM runs r WHERE \(condition)")
        try stmt.bind(all: params)
        return try stmt.step() ? stmt.int(0) : 0
    }

    /// One page of the runs matching `filter`, in `sort` order, with the scores of `columnIDs`
    /// (every column when `nil`). Unknown column ids are ignored.
    public func runs(_ filter: RunFilter, sort: RunSort = RunSort(), limit: Int = 50, offset: Int = 0,
                     columnIDs: [String]? = nil) throws -> RunPage {
        let total = try count(filter)
        let limit = max(0, limit)
        let offset = max(0, offset)
        var positions: [Int] = []
        if limit > 0, offset < total {
            switch sort.key {
            case .canonical, .dimension:
                positions = try pagePositions(filter, sort: sort, limit: limit, offset: offset)
            case .score(let id):
                if let col = columnPosition[id] {
                    positions = try scorePagePositions(filter, column: col, descending: sort.descending,
                                                       limit: limit, offset: offset, total: total)
                } else {
                    positions = try pagePositions(filter, sort: RunSort(), limit: limit, offset: offset)
                }
            }
        }
        return RunPage(total: total, rows: try rows(positions, columnIDs: columnIDs))
    }

    private func pagePositions(_ filter: RunFilter, sort: RunSort, limit: Int, offset: Int) throws -> [Int] {
        let (condition, params) = filter.sql()
        let direction = sort.descending ? "DESC" : "ASC"
        let order: String
        switch sort.key {
        case .dimension(let d): order = "r.\(d.sqlOrder) \(direction) NULLS LAST, r.position \(direction)"
        default: order = "r.position \(direction)"
        }
        let stmt = try connection.prepare("SELECT r.position FROM runs r WHERE \(condition) ORDER BY \(order) LIMIT ? OFFSET ?")
        try stmt.bind(all: params + [.integer(limit), .integer(offset)])
        var out: [Int] = []
        while try stmt.step() { out.append(stmt.int(0)) }
        return out
    }

    /// Runs with a value, best first (or worst first), then runs missing the value in canonical order.
    private func scorePagePositions(_ filter: RunFilter, column: Int, descending: Bool,
                                    limit: Int, offset: Int, total: Int) throws -> [Int] {
        let (condition, params) = filter.sql()
        let direction = descending ? "DESC" : "ASC"
        // Small match sets: drive from runs and sort. Large ones: walk the score index in order.
        let join = total < Self.sortInMemoryBelow ? "runs r JOIN scores s" : "scores s CROSS JOIN runs r"
        let valued = try connection.prepare("""
            SELECT r.position FROM \(join) ON s.run = r.position
            WHERE s.col = ? AND s.value IS NOT NULL AND \(condition)
            ORDER BY s.value \(direction), s.run \(direction) LIMIT ? OFFSET ?
            """)
        try valued.bind(all: [.integer(column)] + params + [.integer(limit), .integer(offset)])
        var out: [Int] = []
        while try valued.step() { out.append(valued.int(0)) }
        if out.count == limit { return out }
        // The page reaches the runs without a value: skip as many of them as the offset passes.
        let countValued = try connection.prepare("""
            SELECT count(*) FROM runs r JOIN scores s ON s.run = r.position
            WHERE s.col = ? AND s.value IS NOT NULL AND \(condition)
            """)
        try countValued.bind(all: [.integer(column)] + params)
        let valuedTotal = try countValued.step() ? countValued.int(0) : 0
        let missing = try connection.prepare("""
            SELECT r.position FROM runs r LEFT JOIN scores s ON s.run = r.position AND s.col = ?
            WHERE s.value IS NULL AND \(condition) ORDER BY r.position LIMIT ? OFFSET ?
            """)
        try missing.bind(all: [.integer(column)] + params + [.integer(limit - out.count), .integer(max(0, offset - valuedTotal))])
        while try missing.step() { out.append(missing.int(0)) }
        return out
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
        if !wanted.isEmpty {
            let cols = wanted.map(String.init).joined(separator: ",")
            let s = try connection.prepare("SELECT run, col, value FROM scores WHERE run IN (\(list)) AND col IN (\(cols))")
            while try s.step() {
                scores[s.int(0), default: [:]][columns[s.int(1)].id] = .some(s.optionalDouble(2))
            }
        }
        return positions.compactMap { p in runs[p].map { RunRow(run: $0, scores: scores[p] ?? [:]) } }
    }
}
