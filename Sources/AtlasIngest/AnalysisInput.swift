import AtlasAnalysis
import AtlasStore

/// Feeds the normalized results to the paper's analyses and keeps their documents.
public enum AnalysisInput {
    static func table(_ r: ResultSet) -> StudyTable {
        let runs = r.runs.map { run in
            StudyTable.Run(id: run.id, base: run.key.baseID, dataset: run.key.datasetID, method: run.key.method?.rawValue,
                           epochs: run.key.epochs, samples: run.key.samples, schedule: run.key.schedule?.rawValue)
        }
        let item = { (id: String, name: String) in StudyTable.Item(id: id, name: name) }
        let columns = r.columns.map { item($0.id, $0.displayName) }
        let main = ColumnRegistry.mainColumns.compactMap { source in r.columns.first { $0.sourceName == source } }
        return StudyTable(
            runs: runs, columns: columns, values: r.scores,
            mainColumns: main.map { item($0.id, $0.benchmarkName) },
            mainBases: r.bases.filter { $0.inMainGrid }.map { item($0.id, $0.displayName) },
            bases: r.bases.map { item($0.id, $0.displayName) },
            baseLanguage: Dictionary(uniqueKeysWithValues: r.bases.map { ($0.id, $0.language) }),
            baseFamily: Dictionary(uniqueKeysWithValues: r.bases.map { ($0.id, $0.family) }),
            datasets: r.datasets.filter { $0.kind == .single && $0.registered }.map { item($0.id, $0.displayName) },
            columnCategory: Dictionary(uniqueKeysWithValues: r.columns.map { ($0.id, $0.category) }),
            columnScale: Dictionary(uniqueKeysWithValues: r.columns.map { ($0.id, $0.unit.toHundred) }))
    }

    /// The paper's analyses of `r`, as stored by ingest.
    public static func documents(_ r: ResultSet) throws -> [StoredAnalysis] {
        try PaperAnalyses.compute(table(r)).map { StoredAnalysis(name: $0.name, method: $0.method, json: $0.json) }
    }
}
