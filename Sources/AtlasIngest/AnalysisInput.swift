import AtlasAnalysis
import AtlasStore

/// Feeds the normalized results to the paper's analyses and keeps their documents.
public enum AnalysisInput {
    /// The released runs only: the paper's analyses, figures and claims are the release's, and do not
    /// change when a user's runs are added.
    static func table(_ r: ResultSet, side: SideData = SideData()) -> StudyTable {
        // The release's runs, columns and bases: a user's own columns and bases are left out too.
        let released = r.runs.indices.filter { !r.runs[$0].isUser }
        let releasedBases = Set(released.map { r.runs[$0].key.baseID })
        let releasedDatasets = Set(released.compactMap { r.runs[$0].key.datasetID })
        let kept = r.columns.indices.filter { c in r.runs.contains { $0.isUser } ? released.contains { !r.score(run: $0, column: c).isNaN } : true }
        var values: [Double] = []
        values.reserveCapacity(released.count * kept.count)
        for i in released { for c in kept { values.append(r.score(run: i, column: c)) } }
        let runs = released.map { r.runs[$0] }.map { run in
            StudyTable.Run(id: run.id, base: run.key.baseID, dataset: run.key.datasetID, method: run.key.method?.rawValue,
                           epochs: run.key.epochs, samples: run.key.samples, schedule: run.key.schedule?.rawValue)
        }
        let item = { (id: String, name: String) in StudyTable.Item(id: id, name: name) }
        let columns = kept.map { item(r.columns[$0].id, r.columns[$0].displayName) }
        let keptIDs = Set(kept.map { r.columns[$0].id })
        let main = ColumnRegistry.mainColumns.compactMap { source in r.columns.first { $0.sourceName == source && keptIDs.contains($0.id) } }
        var table = StudyTable(
            runs: runs, columns: columns, values: values,
            mainColumns: main.map { item($0.id, $0.benchmarkName) },
            mainBases: r.bases.filter { $0.inMainGrid && releasedBases.contains($0.id) }.map { item($0.id, $0.displayName) },
            bases: r.bases.filter { releasedBases.contains($0.id) }.map { item($0.id, $0.displayName) },
            baseLanguage: Dictionary(uniqueKeysWithValues: r.bases.map { ($0.id, $0.language) }),
            baseFamily: Dictionary(uniqueKeysWithValues: r.bases.map { ($0.id, $0.family) }),
            datasets: r.datasets.filter { $0.kind == .single && $0.registered && releasedDatasets.contains($0.id) }.map { item($0.id, $0.displayName) },
            columnCategory: Dictionary(uniqueKeysWithValues: r.columns.map { ($0.id, $0.category) }),
            columnScale: Dictionary(uniqueKeysWithValues: r.columns.map { ($0.id, $0.unit.toHundred) }))
        for d in r.datasets where d.registered { if let l = d.meanLength { table.datasetLength[d.id] = l } }
        for p in side.perplexity { table.perplexity[.init(base: p.base, dataset: p.dataset)] = (p.perplexity, p.meanTokens) }
        for l in side.layers { table.layerChanges[l.run, default: []].append((l.layer, l.position, l.relative)) }
        return table
    }

    /// The paper's analyses of `r`, as stored by ingest.
    public static func documents(_ r: ResultSet, audit: AuditResult? = nil, side: SideData = SideData()) throws -> [StoredAnalysis] {
        try PaperAnalyses.compute(table(r, side: side), flags: audit.map { flags($0, r) }).map { StoredAnalysis(name: $0.name, method: $0.method, json: $0.json) }
    }

    /// What the claims' sensitivity leaves out: the release's base rows found duplicated, and its collapsed cells.
    static func flags(_ audit: AuditResult, _ r: ResultSet) -> SensitivityFlags {
        let runs = Dictionary(r.runs.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var bases: [String] = []
        for f in audit.findings where f.kind == .duplicate {
            let members = f.runs.compactMap { runs[$0] }.filter { !$0.isUser }
            if members.count >= 2, members.allSatisfy(\.key.isBase) {
                for b in members.map(\.key.baseID) where !bases.contains(b) { bases.append(b) }
            }
        }
        let cells = audit.findings.filter { $0.kind == .collapsed && runs[$0.runs[0]]?.isUser == false }.map { (run: $0.runs[0], column: $0.columns[0]) }
        return SensitivityFlags(duplicatedBases: bases, collapsedCells: cells)
    }
}
