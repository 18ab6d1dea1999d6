import AtlasStore

/// Every run's facet values, search text, scores and gains in flat arrays, built once at start-up, so a
/// catalog view (filter, search, numeric bounds, sort, page, facet counts) is one pass over them: about
/// 0.1 ms for the release's 1,027 runs. `Public/atlas.js` implements the same rules over `catalog.json`.
struct CatalogIndex: Sendable {
    let rows: [RunRow]
    let columns: [ScoreColumn]
    let columnPosition: [String: Int]
    /// Per run: its id and its base's and dataset's display names, lowercased, one space apart.
    let haystacks: [String]
    /// Per dimension, each run's value as the filters see it (`RunFilter.noneValue` where it has none).
    let facetCodes: [FacetDimension: [String]]
    /// Per dimension, each value's display position (the order of `Site.facetValues`).
    let order: [FacetDimension: [String: Int]]
    /// Per dimension, its values in display order.
    let facetValues: [FacetDimension: [String]]
    /// Per run, per column (registry order): the score, and the gain over the run's base (nil for a base
    /// row, or where either is missing).
    let scores: [[Double?]]
    let gains: [[Double?]]
    /// Per run, the kinds of the audit's findings that name it (empty when none).
    let findingKinds: [Set<String>]

    init(rows: [RunRow], columns: [ScoreColumn], facetValues: [FacetDimension: [String]], baseName: (String) -> String, datasetName: (String) -> String,
         findings: [String: Set<String>] = [:]) {
        findingKinds = rows.map { findings[$0.run.id] ?? [] }
        self.rows = rows
        self.columns = columns
        self.facetValues = facetValues
        columnPosition = Dictionary(columns.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        haystacks = rows.map { r in
            ([r.run.id, baseName(r.run.key.baseID)] + (r.run.key.datasetID.map { [datasetName($0)] } ?? [])).joined(separator: " ").lowercased()
        }
        var codes: [FacetDimension: [String]] = [:]
        for d in FacetDimension.allCases { codes[d] = rows.map { Self.facetValue($0.run, d) } }
        facetCodes = codes
        order = facetValues.mapValues { Dictionary($0.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) }
        let scores = rows.map { r in columns.map { r.scores[$0.id] ?? nil } }
        self.scores = scores
        var basePosition: [String: Int] = [:]
        for (i, r) in rows.enumerated() where r.run.key.isBase && basePosition[r.run.key.baseID] == nil { basePosition[r.run.key.baseID] = i }
        gains = rows.enumerated().map { i, r in
            guard !r.run.key.isBase, let b = basePosition[r.run.key.baseID] else { return [Double?](repeating: nil, count: columns.count) }
            return zip(scores[i], scores[b]).map { v, base in v.flatMap { v in base.map { v - $0 } } }
        }
    }

    /// A run's value in a dimension as the catalog filters see it.
    static func facetValue(_ run: Run, _ d: FacetDimension) -> String {
        let k = run.key
        switch d {
        case .base: return k.baseID
        case .dataset: return k.datasetID ?? RunFilter.noneValue
        case .method: return k.method?.rawValue ?? RunFilter.noneValue
        case .epochs: return String(k.epochs)
        case .samples: return String(k.samples)
        case .schedule: return k.schedule?.rawValue ?? RunFilter.noneValue
        case .source: return run.source ?? FacetDimension.releaseSource
        }
    }

    /// The value shown for run `i` in column `c`: its score, or with `gain` its gain over its base.
    func value(_ i: Int, _ c: Int, gain: Bool) -> Double? { gain ? gains[i][c] : scores[i][c] }

    /// The normalized mean of columns `cs` for run `i` (see `ScoreColumn.normalization`); nil when any
    /// is missing, or there are none. Summed in the columns' order, as `atlas.js` sums.
    func average(_ i: Int, _ cs: [Int], gain: Bool) -> Double? {
        guard !cs.isEmpty else { return nil }
        var sum = 0.0
        for c in cs {
            guard let v = value(i, c, gain: gain) else { return nil }
            sum += v * columns[c].normalization
        }
        return sum / Double(cs.count)
    }

    /// The audit facet's counts: runs flagged, runs not flagged, and runs per finding kind, among those that
    /// pass every filter but the audit's own (`findings=`, `finding=`).
    struct AuditCounts: Equatable {
        var flagged = 0, clean = 0
        var kinds: [String: Int] = [:]
    }

    /// One page of a view: the matching runs' positions in order, their count, and the facet counts
    /// (each dimension's with every filter but its own; the audit's likewise).
    func query(_ view: CatalogView, limit: Int, offset: Int) -> (total: Int, positions: [Int], facets: [Facet], audit: AuditCounts) {
        let shown = view.columns.compactMap { columnPosition[$0] }
        let dimensions = FacetDimension.allCases
        // Per run, a bit per dimension whose filter it fails, bit 6 for the search and bounds, bit 7 for the audit's.
        var mask = [UInt8](repeating: 0, count: rows.count)
        for (bit, d) in dimensions.enumerated() {
            guard let wanted = view.filter.values[d], !wanted.isEmpty, let codes = facetCodes[d] else { continue }
            let allowed = Set(wanted)
            for i in rows.indices where !allowed.contains(codes[i]) { mask[i] |= 1 << UInt8(bit) }
        }
        if !view.words.isEmpty || !view.bounds.isEmpty {
            for i in rows.indices where !admits(i, view, shown) { mask[i] |= 1 << 6 }
        }
        if view.flagged != nil || !view.findingKinds.isEmpty {
            for i in rows.indices where !admitsFindings(i, view) { mask[i] |= 1 << 7 }
        }
        var matching: [Int] = []
        for i in rows.indices where mask[i] == 0 { matching.append(i) }
        let ordered = sorted(matching, view, shown)
        let start = min(offset, ordered.count)
        let end = limit >= ordered.count - start ? ordered.count : start + limit
        var audit = AuditCounts()
        for i in rows.indices where mask[i] & 0x7F == 0 {
            if findingKinds[i].isEmpty { audit.clean += 1 } else { audit.flagged += 1 }
            for k in findingKinds[i] { audit.kinds[k, default: 0] += 1 }
        }
        return (ordered.count, Array(ordered[start..<end]), facets(mask, view.filter), audit)
    }

    /// Whether run `i` passes the audit's filters: flagged or not, and a finding of one of the kinds asked for.
    private func admitsFindings(_ i: Int, _ view: CatalogView) -> Bool {
        if let flagged = view.flagged, flagged == findingKinds[i].isEmpty { return false }
        return view.findingKinds.isEmpty || view.findingKinds.contains(where: findingKinds[i].contains)
    }

    /// Whether run `i` passes the search and every bound.
    private func admits(_ i: Int, _ view: CatalogView, _ shown: [Int]) -> Bool {
        for w in view.words where !haystacks[i].contains(w) { return false }
        for b in view.bounds {
            let v = b.column == CatalogView.average ? average(i, shown, gain: view.gain)
                : columnPosition[b.column].flatMap { value(i, $0, gain: view.gain) }
            if !b.admits(v) { return false }
        }
        return true
    }

    private func sorted(_ matching: [Int], _ view: CatalogView, _ shown: [Int]) -> [Int] {
        let key: (Int) -> Double?
        switch view.sort.key {
        case .canonical:
            return view.sort.descending ? matching.reversed() : matching
        case .dimension(let d):
            let codes = facetCodes[d] ?? [], positions = order[d] ?? [:]
            key = { i in codes[i] == RunFilter.noneValue ? nil : positions[codes[i]].map(Double.init) }
        case .column(let id):
            guard let c = columnPosition[id] else { return matching }
            key = { i in value(i, c, gain: view.gain) }
        case .average:
            key = { i in average(i, shown, gain: view.gain) }
        }
        var valued: [(Double, Int)] = [], missing: [Int] = []
        for i in matching {
            if let k = key(i) { valued.append((k, i)) } else { missing.append(i) }
        }
        valued.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        let ranked = valued.map(\.1)
        return (view.sort.descending ? ranked.reversed() : ranked) + missing
    }

    private func facets(_ mask: [UInt8], _ filter: RunFilter) -> [Facet] {
        FacetDimension.allCases.enumerated().map { bit, d in
            let others = ~(UInt8(1) << UInt8(bit))  // bits 6 and 7 (search, bounds, audit) stay
            let codes = facetCodes[d] ?? []
            var counts: [String: Int] = [:]
            for i in rows.indices where mask[i] & others == 0 { counts[codes[i], default: 0] += 1 }
            let selected = Set(filter.values[d] ?? [])
            return Facet(dimension: d, values: (facetValues[d] ?? []).compactMap { v in
                counts[v].map { Facet.Value(value: v, count: $0, selected: selected.contains(v)) }
            })
        }
    }
}
