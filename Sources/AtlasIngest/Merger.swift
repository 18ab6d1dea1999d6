import AtlasStore

/// Collects normalized rows from one or more files into one consistent set of runs:
/// resolves names through the registries (inferring, with a warning, what they lack), rejects a run
/// key seen twice, and orders everything canonically so that the same input gives the same database.
struct Merger {
    private(set) var warnings: [String] = []
    private var columns: [ScoreColumn] = []
    private var columnIndex: [String: Int] = [:]
    /// Columns by id, for user scores, which name columns by id (`mbpp-4shot`) rather than by header (`mbpp_4shot`).
    private var columnIDIndex: [String: Int] = [:]
    /// Where each user score came from: merger run and column positions, remapped when the set is sorted.
    private var userSources: [(run: Int, column: Int, score: ToolScore, scale: Double)] = []
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
            columnIDIndex[column.id] = columns.count - 1
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
        let base = resolveBase(row.baseName, place: "\(file):\(row.line)")
        try claim("base model", id: base.id, name: row.baseName, file: file, line: row.line, column: ReleaseLayout.model)
        var dataset: Dataset?
        if let name = row.datasetName {
            let d = resolveDataset(name, place: "\(file):\(row.line)")
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

    /// `place` (file:line of its first row) goes into the warning for a name the registry does not know.
    private mutating func resolveBase(_ name: String, place: String? = nil) -> BaseModel {
        if let known = bases[name] { return known }
        let base: BaseModel
        if let registered = BaseRegistry.base(sourceName: name) {
            base = registered
        } else {
            base = BaseRegistry.inferred(sourceName: name)
            let hint = Suggestion.closest(name, among: BaseRegistry.all.map(\.sourceName)).map { " (did you mean '\($0)'?)" } ?? ""
            warnings.append((place.map { $0 + ": " } ?? "") + "base model '\(IngestError.excerpt(name))' is not in the registry\(hint); ingested as '\(IngestError.excerpt(base.id))' with unknown family, language and size")
        }
        bases[name] = base
        return base
    }

    private mutating func resolveDataset(_ name: String, place: String? = nil) -> Dataset {
        if let known = datasets[name] { return known }
        let dataset: Dataset
        if let registered = DatasetRegistry.dataset(sourceName: name) {
            dataset = registered
        } else {
            dataset = DatasetRegistry.inferred(sourceName: name)
            let hint = Suggestion.closest(name, among: DatasetRegistry.singles.map(\.sourceName)).map { " (did you mean '\($0)'?)" } ?? ""
            warnings.append((place.map { $0 + ": " } ?? "") + "dataset '\(IngestError.excerpt(name))' is not in the registry\(hint); ingested as '\(IngestError.excerpt(dataset.id))' with unknown category and source")
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
        // A user's runs follow the release's runs of their base, in their manifest's order.
        let keys = runs.map { run -> [Int] in
            let k = run.key
            return [basePosition[k.baseID]!, run.isUser ? 1 : 0, k.isBase ? -1 : datasetPosition[k.datasetID!]!, k.method == .lora ? 1 : 0,
                    k.samples, k.schedule == .constant ? 1 : 0, k.epochs, run.isUser ? run.sourceLine : 0]
        }
        let order = runs.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) || (keys[$0] == keys[$1] && (runs[$0].source ?? "") < (runs[$1].source ?? "")) }
        let sortedRuns = order.map { runs[$0] }
        var sortedScores: [Double] = []
        sortedScores.reserveCapacity(order.count * columnOrder.count)
        for i in order {
            let row = scores[i]
            for c in columnOrder { sortedScores.append(c < row.count ? row[c] : .nan) }
        }
        let present = Set(runs.filter { !$0.isUser }.map(\.key))
        var set = ResultSet(bases: sortedBases, datasets: sortedDatasets, columns: sortedColumns, runs: sortedRuns,
                            scores: sortedScores, provenance: provenance, hyperparameters: TrainingGrid.hyperparameters,
                            grid: TrainingGrid.cells(present: present))
        set.scoreSources = scoreSources(runOrder: order, columnOrder: columnOrder)
        return set
    }
}

/// The last component of a path: `data/evaluation_result.csv` → `evaluation_result.csv`.
func fileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}

extension Merger {
    /// The unit of a column already merged, by id.
    func unit(ofColumn id: String) -> ScoreColumn.Unit? { columnIDIndex[id].map { columns[$0].unit } }

    /// Adds a user's runs, after every release file: their bases (a registry base, a base the release has,
    /// or the user's own base row), their datasets (registered, or new and the user's), their columns, and
    /// the provenance of each score. A run whose id is a released run's, or a base that is neither known
    /// nor given its own row, is an error naming the manifest line.
    mutating func add(_ set: UserRunSet) throws(IngestError) {
        let file = set.manifestPath
        let releaseIDs = Dictionary(runs.enumerated().filter { !$0.element.isUser }.map { ($0.element.id, $0.element) }, uniquingKeysWith: { a, _ in a })
        let ownBases = Set(set.runs.filter(\.row.isBase).map { $0.row.base })
        for id in set.columns.keys.sorted() where columnIDIndex[id] == nil {
            let column = set.columns[id]!
            try claim("column", id: column.id, name: column.sourceName, file: file, line: 1, column: "results")
            columns.append(column)
            columnIndex[column.sourceName] = columns.count - 1
            columnIDIndex[column.id] = columns.count - 1
        }
        for user in set.runs {
            let row = user.row
            if let released = releaseIDs[row.id] {
                throw IngestError(file: file, line: row.line, column: "name",
                                  message: "'\(IngestError.excerpt(row.name))' makes the id '\(row.id)', which is the released run from \(released.sourceFile) line \(released.sourceLine); expected a name of your own")
            }
            guard let base = knownBase(row.base) ?? (ownBases.contains(row.base) ? userBase(row.base) : nil) else {
                throw IngestError(file: file, line: row.line, column: "base",
                                  message: "'\(IngestError.excerpt(row.base))' is neither a registered base (such as \(BaseRegistry.all.prefix(3).map(\.id).joined(separator: ", "))) nor given its own row; add a row with this base, dataset 'none' and method 'none', whose results are the base model's scores")
            }
            var dataset: Dataset?
            if let name = row.dataset { dataset = knownDataset(name) ?? userDataset(name) }
            let key = RunKey(baseID: base.id, datasetID: dataset?.id, method: row.method, epochs: row.epochs, samples: row.samples, schedule: row.schedule)
            var values = [Double](repeating: .nan, count: columns.count)
            for s in user.scores {
                guard let c = columnIDIndex[s.column] else { continue }
                values[c] = s.value
                userSources.append((runs.count, c, s.source, s.scale))
            }
            runs.append(Run(key: key, isLeaveOneOut: dataset?.kind == .leaveOneOut, sourceFile: set.manifest, sourceLine: row.line,
                            source: set.manifest, label: row.name, id: row.id))
            scores.append(values)
        }
    }

    /// A base by registry id, display name or release name, or one the release brought.
    private mutating func knownBase(_ name: String) -> BaseModel? {
        if let b = BaseRegistry.all.first(where: { $0.id == name || $0.displayName == name || $0.sourceName == name }) {
            return resolveBase(b.sourceName)
        }
        return bases.values.first { $0.id == name || $0.sourceName == name || $0.displayName == name }
    }

    /// The user's own base, given its own row: not registered, its metadata unknown.
    private mutating func userBase(_ name: String) -> BaseModel {
        if let known = bases[name] { return known }
        let base = BaseRegistry.inferred(sourceName: name)
        bases[name] = base
        return base
    }

    private mutating func knownDataset(_ name: String) -> Dataset? {
        if let d = DatasetRegistry.everyKnown.first(where: { $0.id == name || $0.displayName == name || $0.sourceName == name }) {
            return resolveDataset(d.sourceName)
        }
        return datasets.values.first { $0.id == name || $0.sourceName == name || $0.displayName == name }
    }

    /// A dataset of the user's own: registered as theirs (category "yours").
    private mutating func userDataset(_ name: String) -> Dataset {
        if let known = datasets[name] { return known }
        let d = Dataset(id: Slug.make(name), sourceName: name, displayName: name, kind: .single, category: "yours",
                        sourceRepository: nil, sourceSamples: nil, meanLength: nil, registered: false)
        datasets[name] = d
        return d
    }

    /// The user scores' provenance, with run and column positions as sorted by `finish`.
    func scoreSources(runOrder: [Int], columnOrder: [Int]) -> [ScoreSource] {
        let runAt = Dictionary(uniqueKeysWithValues: runOrder.enumerated().map { ($1, $0) })
        let columnAt = Dictionary(uniqueKeysWithValues: columnOrder.enumerated().map { ($1, $0) })
        return userSources.map { s in
            ScoreSource(run: runAt[s.run]!, column: columnAt[s.column]!, tool: s.score.tool.rawValue, toolVersion: s.score.toolVersion, file: s.score.file,
                        place: s.score.place, task: s.score.task, metric: s.score.metric, shots: s.score.shots, configHash: s.score.configHash,
                        raw: s.score.value, scale: s.scale)
        }.sorted { ($0.run, $0.column) < ($1.run, $1.column) }
    }
}
