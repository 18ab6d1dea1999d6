/// A compact in-memory copy of every run's facet values, loaded once per database, so that counting,
/// faceting and paging never scan the `runs` table: one pass over small integer arrays instead.
///
/// Memory: 6 × 4 bytes per run, plus, per score column once used, its values (8 bytes per run) and, once
/// sorted by, its ranking (4 bytes per run). For the released data (1,027 runs × 30 columns) that is under
/// 0.4 MB in all; for an input 100 times larger, about 37 MB once every column has been read and sorted.
final class RunIndex {
    let count: Int
    /// Per dimension, each run's value code; -1 where the run has no value (a base row's dataset).
    private var codes: [FacetDimension: [Int32]] = [:]
    /// Per dimension, the filter value of each code, in display order.
    private var labels: [FacetDimension: [String]] = [:]
    private var orderings: [FacetDimension: (valued: [Int32], none: [Int32])] = [:]
    private var rankings: [Int: (valued: [Int32], missing: [Int32])] = [:]
    /// Per score column, every run's value (NaN where missing), read on first use.
    private var columnValues: [Int: [Double]] = [:]

    init(connection: Connection) throws {
        let stmt = try connection.prepare("""
            SELECT base_id, base_pos, dataset_id, dataset_pos, method, epochs, samples, schedule, source FROM runs ORDER BY position
            """)
        let dimensions = FacetDimension.allCases
        // Per dimension: the label → display-order map, and each run's label index (-1: no value).
        var orderOf = [[String: Int]](repeating: [:], count: dimensions.count)
        var labelIndex = [[String: Int32]](repeating: [:], count: dimensions.count)
        var raw = [[Int32]](repeating: [], count: dimensions.count)
        func add(_ d: Int, _ label: String?, _ order: @autoclosure () -> Int) {
            guard let label else { raw[d].append(-1); return }
            if let k = labelIndex[d][label] { raw[d].append(k); return }
            let k = Int32(labelIndex[d].count)
            labelIndex[d][label] = k
            orderOf[d][label] = order()
            raw[d].append(k)
        }
        var n = 0
        while try stmt.step() {
            for (d, dimension) in dimensions.enumerated() {
                switch dimension {
                case .base: add(d, stmt.string(0), stmt.int(1))
                case .dataset: add(d, stmt.optionalString(2), stmt.int(3))
                case .method: add(d, stmt.optionalString(4), stmt.string(4) == Method.full.rawValue ? 0 : 1)
                case .epochs: add(d, String(stmt.int(5)), stmt.int(5))
                case .samples: add(d, String(stmt.int(6)), stmt.int(6))
                case .schedule: add(d, stmt.optionalString(7), stmt.string(7) == Schedule.cosine.rawValue ? 0 : 1)
                case .source: add(d, stmt.optionalString(8) ?? FacetDimension.releaseSource, stmt.isNull(8) ? 0 : 1)
                }
            }
            n += 1
        }
        count = n
        for (d, dimension) in dimensions.enumerated() {
            // Codes follow the display order: registry position for bases and datasets, numeric otherwise.
            let ordered = orderOf[d].sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
            var remap = [Int32](repeating: -1, count: ordered.count)
            for (code, label) in ordered.enumerated() { remap[Int(labelIndex[d][label]!)] = Int32(code) }
            labels[dimension] = ordered
            codes[dimension] = raw[d].map { $0 < 0 ? -1 : remap[Int($0)] }
        }
    }

    /// Per run, a bit per dimension whose filter the run fails (0 = the run matches).
    func mismatches(_ filter: RunFilter) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: count)
        for (bit, dimension) in FacetDimension.allCases.enumerated() {
            guard let wanted = filter.values[dimension], !wanted.isEmpty else { continue }
            let names = labels[dimension]!
            // allowed[code + 1]; slot 0 is "none".
            var allowed = [Bool](repeating: false, count: names.count + 1)
            for value in wanted {
                if value == RunFilter.noneValue { allowed[0] = true }
                else if let i = names.firstIndex(of: value) { allowed[i + 1] = true }
            }
            let c = codes[dimension]!
            let flag = UInt8(1 << bit)
            for i in 0..<count where !allowed[Int(c[i]) + 1] { mask[i] |= flag }
        }
        return mask
    }

    /// Counts per value for each dimension, applying every filter but the dimension's own.
    func facets(_ filter: RunFilter) -> [Facet] {
        let mask = mismatches(filter)
        return FacetDimension.allCases.enumerated().map { bit, dimension in
            let names = labels[dimension]!
            let c = codes[dimension]!
            let others = ~UInt8(1 << bit)
            var counts = [Int](repeating: 0, count: names.count + 1)
            for i in 0..<count where mask[i] & others == 0 { counts[Int(c[i]) + 1] += 1 }
            let selected = Set(filter.values[dimension] ?? [])
            var values: [Facet.Value] = []
            if counts[0] > 0 {
                values.append(.init(value: RunFilter.noneValue, count: counts[0], selected: selected.contains(RunFilter.noneValue)))
            }
            for (k, name) in names.enumerated() where counts[k + 1] > 0 {
                values.append(.init(value: name, count: counts[k + 1], selected: selected.contains(name)))
            }
            return Facet(dimension: dimension, values: values)
        }
    }

    /// Positions of matching runs in canonical, dimension or score order (missing values last), one page.
    func page(mask: [UInt8], sort: RunSort, limit: Int, offset: Int, connection: Connection,
              column: Int?) throws -> [Int] {
        var skipped = 0
        var out: [Int] = []
        out.reserveCapacity(min(limit, count))
        /// Takes run `p` if it matches; returns `true` once the page is full.
        func visit(_ p: Int32) -> Bool {
            guard mask[Int(p)] == 0 else { return false }
            if skipped < offset { skipped += 1; return false }
            out.append(Int(p))
            return out.count == limit
        }
        func walk(_ list: [Int32], reversed: Bool) -> Bool {
            if reversed {
                for p in list.reversed() where visit(p) { return true }
            } else {
                for p in list where visit(p) { return true }
            }
            return false
        }
        guard limit > 0 else { return [] }
        switch sort.key {
        case .dimension(let d):
            let o = ordering(d)
            if walk(o.valued, reversed: sort.descending) { return out }
            _ = walk(o.none, reversed: false)
        case .score where column != nil:
            let ranked = try ranking(column!, connection: connection)
            if walk(ranked.valued, reversed: sort.descending) { return out }
            _ = walk(ranked.missing, reversed: false)
        default:
            if sort.descending {
                for p in (0..<Int32(count)).reversed() where visit(p) { return out }
            } else {
                for p in 0..<Int32(count) where visit(p) { return out }
            }
        }
        return out
    }

    /// Runs with a value in the dimension, ordered by (value, position); then runs without one.
    private func ordering(_ d: FacetDimension) -> (valued: [Int32], none: [Int32]) {
        if let cached = orderings[d] { return cached }
        let c = codes[d]!
        let valued = (0..<Int32(count)).filter { c[Int($0)] >= 0 }.sorted { (c[Int($0)], $0) < (c[Int($1)], $1) }
        let none = (0..<Int32(count)).filter { c[Int($0)] < 0 }
        orderings[d] = (valued, none)
        return (valued, none)
    }

    /// The runs with a value in column `col`, ascending by (value, run); then the runs without one, in
    /// canonical order. Read and sorted on first use, then kept: O(runs log runs) once per column.
    private func ranking(_ col: Int, connection: Connection) throws -> (valued: [Int32], missing: [Int32]) {
        if let cached = rankings[col] { return cached }
        let values = try self.values(col, connection: connection)
        var valued: [Int32] = [], missing: [Int32] = []
        for run in 0..<Int32(count) {
            if values[Int(run)].isNaN { missing.append(run) } else { valued.append(run) }
        }
        valued.sort { values[Int($0)] < values[Int($1)] || (values[Int($0)] == values[Int($1)] && $0 < $1) }
        let result = (valued, missing)
        rankings[col] = result
        return result
    }

    /// Every run's value in column `col` (NaN where missing): one range read of the column-major scores
    /// table on first use, then kept, so a page's scores are array reads rather than a seek per cell.
    func values(_ col: Int, connection: Connection) throws -> [Double] {
        if let cached = columnValues[col] { return cached }
        var values = [Double](repeating: .nan, count: count)
        let stmt = try connection.prepare("SELECT run, value FROM scores WHERE col = ?")
        try stmt.bind(1, col)
        while try stmt.step() {
            let run = stmt.int(0)
            if run >= 0, run < count, !stmt.isNull(1) { values[run] = stmt.double(1) }
        }
        columnValues[col] = values
        return values
    }
}
