import AtlasStore

/// Every run with every score, read once at start-up, and the lookups the pages make on them.
struct RunIndex: Sendable {
    /// Every run with every score, in canonical order.
    let rows: [RunRow]
    /// Row positions by run id.
    let position: [String: Int]
    /// Row positions of runs that differ only in epochs, by epoch, keyed by `siblingKey`.
    let siblingGroups: [String: [Int]]
    /// Each base model's own scores, by column id.
    let baseScores: [String: [String: Double?]]
    /// Per base model and column, the released fine-tuned runs' values in ascending order (for ranks).
    let tunedValues: [String: [String: [Double]]]
    /// Each facet's values with no filter applied: the valid values of the catalog's filter parameters.
    let facetValues: [FacetDimension: [String]]
    /// The catalog's flat arrays: search text, facet codes, scores and gains.
    let catalog: CatalogIndex
    /// Where each user score came from, by run position and column id.
    let sources: [Int: [String: ScoreSource]]

    /// `findings`: the kinds of the audit's findings, by the runs they name.
    init(db: AtlasDatabase, findings: [String: Set<String>] = [:]) throws {
        let rows = try db.runs(RunFilter(), limit: Int.max).rows
        self.rows = rows
        position = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.run.id, $0) })
        facetValues = Dictionary(uniqueKeysWithValues: try db.facets(RunFilter()).map { ($0.dimension, $0.values.map(\.value)) })
        var groups: [String: [Int]] = [:]
        // The release's runs only: a user's run neither joins a released run's epoch chart nor ranks it.
        for (i, r) in rows.enumerated() where !r.run.key.isBase && !r.run.isUser { groups[Self.siblingKey(r.run.key), default: []].append(i) }
        siblingGroups = groups.mapValues { $0.sorted { rows[$0].run.key.epochs < rows[$1].run.key.epochs } }
        baseScores = Dictionary(rows.filter(\.run.key.isBase).map { ($0.run.key.baseID, $0.scores) }, uniquingKeysWith: { a, _ in a })
        var values: [String: [String: [Double]]] = [:]
        for r in rows where !r.run.key.isBase && !r.run.isUser {
            for c in db.columns { if let v = r.scores[c.id] ?? nil { values[r.run.key.baseID, default: [:]][c.id, default: []].append(v) } }
        }
        tunedValues = values.mapValues { $0.mapValues { $0.sorted() } }
        var sources: [Int: [String: ScoreSource]] = [:]
        for s in try db.scoreSources() where s.column >= 0 && s.column < db.columns.count { sources[s.run, default: [:]][db.columns[s.column].id] = s }
        self.sources = sources
        let bases = Dictionary(db.bases.map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let datasets = Dictionary(db.datasets.map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        catalog = CatalogIndex(rows: rows, columns: db.columns, facetValues: facetValues,
                               baseName: { bases[$0] ?? $0 }, datasetName: { datasets[$0] ?? $0 }, findings: findings)
    }

    /// What runs that differ only in epochs share.
    static func siblingKey(_ k: RunKey) -> String {
        "\(k.baseID)|\(k.datasetID ?? "")|\(k.method?.rawValue ?? "")|\(k.samples)|\(k.schedule?.rawValue ?? "")"
    }

    /// The row of a run id, or nil.
    func row(_ id: String) -> RunRow? { position[id].map { rows[$0] } }

    /// The runs that differ from `key` only in epochs (itself included), by epoch.
    func epochSiblings(of key: RunKey) -> [RunRow] {
        (siblingGroups[Self.siblingKey(key)] ?? []).map { rows[$0] }
    }
}
