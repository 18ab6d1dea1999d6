import AtlasStore

/// Collects normalized rows from one or more files into one consistent set of runs:
/// resolves names through the registries (inferring, with a warning, what they lack), rejects a run
/// key seen twice, and orders everything canonically so that the same input gives the same database.
struct Merger {
    private(set) var warnings: [String] = []
    private var columns: [ScoreColumn] = []
    private var columnIndex: [String: Int] = [:]
    private var bases: [String: BaseModel] = [:]
    private var datasets: [String: Dataset] = [:]
    private var runs: [Run] = []
    /// Per run, the values of the columns registered so far (shorter rows are padded with NaN at the end).
    private var scores: [[Double]] = []
    /// Where each run key was first seen: file and line.
    private var seen: [RunKey: (file: String, line: Int)] = [:]
    /// For each base, dataset and column id, the name that made it and where that name was first seen:
    /// two names that make one id (`Foo Model`, `foo-model`) are an error, not one silently merged page.
    private var namesByID: [String: (name: String, file: String, line: Int, column: String)] = [:]

    /// Adds a file's score columns; returns, for each, its index in the merged column list.
    mutating func register(columns fileColumns: [ScoreColumn], file: String) throws(IngestError) -> [Int] {
        var out: [Int] = []
        for column in fileColumns {
            if let i = columnIndex[column.sourceName] { out.append(i); continue }
            try claim("column", id: column.id, name: column.sourceName, file: file, line: 1, column: column.sourceName)
            if !column.registered {
                warnings.append("column '\(IngestError.excerpt(column.sourceName))' is not in the registry; ingested as benchmark '\(IngestError.excerpt(column.benchmarkName))'"
                                + (column.shots.map { ", \($0)-shot" } ?? "") + ", category 'other', unit unknown")
            }
            columns.append(column)
            columnIndex[column.sourceName] = columns.count - 1
            out.append(columns.count - 1)
        }
        return out
    }

    /// Records that `name` makes `id` (of a base, dataset or column); throws if another name made it first,
    /// or if the id could not be a page address.
    private mutating func claim(_ kind: String, id: String, name: String, file: String, line: Int, column: String) throws(IngestError) {
        if id.allSatisfy({ $0 == "." }) {
            throw IngestError(file: file, line: line, column: column,
                              message: "the \(kind) name '\(IngestError.excerpt(name))' makes the id '\(IngestError.excerpt(id))', which cannot be a page address; expected a name with a letter or digit")
        }
        let key = kind + "\u{0}" + id
        if let first = namesByID[key] {
            guard first.name != name else { return }
            let place = first.file == file ? "line \(first.line)" : "\(first.file):\(first.line)"
            throw IngestError(file: file, line: line, column: column,
                              message: "the \(kind) name '\(IngestError.excerpt(name))' and '\(IngestError.excerpt(first.name))' (\(place), column '\(IngestError.excerpt(first.column))') both make the id '\(IngestError.excerpt(id))'; expected one spelling for one \(kind)")
        }
        namesByID[key] = (name, file, line, column)
    }

    /// Adds one row of `file` (as named in errors); `sourceFile` is the name kept with the run.
    mutating func add(_ row: MassiveSFTFormat.Row, file: String, sourceFile: String, columnMap: [Int]) throws(IngestError) {
        let base = resolveBase(row.baseName)
        try claim("base model", id: base.id, name: row.baseName, file: file, line: row.line, column: ReleaseLayout.model)
        var dataset: Dataset?
        if let name = row.datasetName {
            let d = resolveDataset(name)
            try claim("dataset", id: d.id, name: name, file: file, line: row.line, column: ReleaseLayout.data)
            dataset = d
        }
        let key = RunKey(baseID: base.id, datasetID: dataset?.id, method: row.method, epochs: row.epochs,
                         samples: row.samples, schedule: row.schedule)
        if let first = seen[key] {
            let firstPlace = first.file == file ? "line \(first.line)" : "\(first.file):\(first.line)"
            throw IngestError(file: file, line: row.line,
                              message: "run '\(key.id)' appears twice, at \(firstPlace) and line \(row.line); expected each base, dataset, method, epochs, samples and schedule combination once")
        }
        seen[key] = (file, row.line)
        var values = [Double](repeating: .nan, count: columns.count)
        for (k, global) in columnMap.enumerated() { values[global] = row.scores[k] }
        runs.append(Run(key: key, isLeaveOneOut: dataset?.kind == .leaveOneOut,
                        sourceFile: sourceFile, sourceLine: row.line))
        scores.append(values)
    }

    private mutating func resolveBase(_ name: String) -> BaseModel {
        if let known = bases[name] { return known }
        let base: BaseModel
        if let registered = BaseRegistry.base(sourceName: name) {
            base = registered
        } else {
            base = BaseRegistry.inferred(sourceName: name)
            warnings.append("base model '\(IngestError.excerpt(name))' is not in the registry; ingested as '\(IngestError.excerpt(base.id))' with unknown family, language and size")
        }
        bases[name] = base
        return base
    }

    private mutating func resolveDataset(_ name: String) -> Dataset {
        if let known = datasets[name] { return known }
        let dataset: Dataset
        if let registered = DatasetRegistry.dataset(sourceName: name) {
            dataset = registered
        } else {
            dataset = DatasetRegistry.inferred(sourceName: name)
            warnings.append("dataset '\(IngestError.excerpt(name))' is not in the registry; ingested as '\(IngestError.excerpt(dataset.id))' with unknown category and source")
        }
        datasets[name] = dataset
        return dataset
    }

    /// The merged, canonically ordered result set.
    func finish(provenance: [Provenance]) -> ResultSet {
        // Bases and datasets: registry order first, then inferred ones by id.
        let baseOrder = Dictionary(uniqueKeysWithValues: BaseRegistry.all.enumerated().map { ($1.id, $0) })
        let sortedBases = bases.values.sorted { (baseOrder[$0.id] ?? Int.max, $0.id) < (baseOrder[$1.id] ?? Int.max, $1.id) }
        let datasetOrder = Dictionary(uniqueKeysWithValues: DatasetRegistry.everyKnown.enumerated().map { ($1.id, $0) })
        let sortedDatasets = datasets.values.sorted { (datasetOrder[$0.id] ?? Int.max, $0.id) < (datasetOrder[$1.id] ?? Int.max, $1.id) }
        // Columns: main columns first, in the paper's order, then the rest.
        let columnOrder = columns.indices.sorted { ColumnRegistry.sortKey(columns[$0]) < ColumnRegistry.sortKey(columns[$1]) }
        let sortedColumns = columnOrder.map { columns[$0] }

        let basePosition = Dictionary(uniqueKeysWithValues: sortedBases.enumerated().map { ($1.id, $0) })
        let datasetPosition = Dictionary(uniqueKeysWithValues: sortedDatasets.enumerated().map { ($1.id, $0) })
        let keys = runs.map { run in
            let k = run.key
            return (basePosition[k.baseID]!, k.isBase ? -1 : datasetPosition[k.datasetID!]!, k.method == .lora ? 1 : 0,
                    k.samples, k.schedule == .constant ? 1 : 0, k.epochs)
        }
        let order = runs.indices.sorted { keys[$0] < keys[$1] }
        let sortedRuns = order.map { runs[$0] }
        var sortedScores: [Double] = []
        sortedScores.reserveCapacity(order.count * columnOrder.count)
        for i in order {
            let row = scores[i]
            for c in columnOrder { sortedScores.append(c < row.count ? row[c] : .nan) }
        }
        let present = Set(runs.map(\.key))
        return ResultSet(bases: sortedBases, datasets: sortedDatasets, columns: sortedColumns, runs: sortedRuns,
                         scores: sortedScores, provenance: provenance, hyperparameters: TrainingGrid.hyperparameters,
                         grid: TrainingGrid.cells(present: present))
    }
}

/// The last component of a path: `data/evaluation_result.csv` → `evaluation_result.csv`.
func fileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
