import Foundation

/// Each claim recomputed with the data the audit flags left out, so that a reader sees whether a verdict
/// rests on a suspicious value. Three variants: without the base rows found duplicated (every gain over
/// them goes), without the collapsed cells, and without both. The model map is not refit (its t-SNE is
/// kept), so the map claim's variants change only through its gain correlations.
public struct SensitivityFlags: Sendable {
    /// Bases whose own rows duplicate another base's: their gains cannot be trusted.
    public var duplicatedBases: [String]
    /// Collapsed cells: (run id, column id).
    public var collapsedCells: [(run: String, column: String)]

    public init(duplicatedBases: [String], collapsedCells: [(run: String, column: String)]) {
        self.duplicatedBases = duplicatedBases
        self.collapsedCells = collapsedCells
    }

    public var isEmpty: Bool { duplicatedBases.isEmpty && collapsedCells.isEmpty }
}

enum Sensitivity {
    /// `claims` with each claim's variants, and fragile where a verdict changes.
    static func annotate(_ claims: ClaimsResult, table: StudyTable, flags: SensitivityFlags, map: ScoreMapResult) -> ClaimsResult {
        var variants: [(String, StudyTable)] = []
        if !flags.duplicatedBases.isEmpty {
            variants.append(("without the duplicated base rows (\(flags.duplicatedBases.joined(separator: ", ")))", without(table, bases: flags.duplicatedBases, cells: [])))
        }
        if !flags.collapsedCells.isEmpty {
            variants.append(("without the \(flags.collapsedCells.count) collapsed cells", without(table, bases: [], cells: flags.collapsedCells)))
        }
        if !flags.duplicatedBases.isEmpty && !flags.collapsedCells.isEmpty {
            variants.append(("without both", without(table, bases: flags.duplicatedBases, cells: flags.collapsedCells)))
        }
        let recomputed = variants.map { name, t in
            let grid = GridAnalyses(t)
            return (name, grid.claims(map: map, cross: CrossLingualResult(t), families: t.baseFamily, side: SideResults(t)), FigureStatistic.compute(t, grid: grid))
        }
        var out = claims
        // A figure statistic's variants, matched by position: each table yields the same list in the same order.
        if var figures = out.figureStatistics {
            for (name, _, stats) in recomputed where stats.count == figures.count {
                for k in figures.indices where stats[k].statistic == figures[k].statistic {
                    figures[k].variants.append(.init(variant: name, value: stats[k].value))
                }
            }
            out.figureStatistics = figures
        }
        for (k, claim) in claims.claims.enumerated() {
            let list = recomputed.compactMap { name, result, _ in
                result.claims.first { $0.id == claim.id }.map { ClaimsResult.Variant(variant: name, statistic: $0.statistic, verdict: $0.verdict) }
            }
            let changed = list.filter { $0.verdict != claim.verdict }
            out.claims[k].sensitivity = list
            out.claims[k].fragile = !changed.isEmpty
            out.claims[k].hingesOn = changed.isEmpty ? nil : changed.map(\.variant).joined(separator: "; ")
        }
        return out
    }

    /// The table without the bases given (every run of theirs: their gains rest on their own rows), and
    /// with the cells given set missing.
    static func without(_ table: StudyTable, bases: [String], cells: [(run: String, column: String)]) -> StudyTable {
        let m = table.columns.count
        let kept = table.runs.indices.filter { !bases.contains(table.runs[$0].base) }
        var values: [Double] = []
        values.reserveCapacity(kept.count * m)
        for i in kept { values += table.values[(i * m)..<((i + 1) * m)] }
        var t = StudyTable(runs: kept.map { table.runs[$0] }, columns: table.columns, values: values, mainColumns: table.mainColumns,
                           mainBases: table.mainBases.filter { !bases.contains($0.id) }, bases: table.bases.filter { !bases.contains($0.id) },
                           baseLanguage: table.baseLanguage, baseFamily: table.baseFamily, datasets: table.datasets,
                           columnCategory: table.columnCategory, columnScale: table.columnScale)
        t.datasetLength = table.datasetLength
        t.perplexity = table.perplexity
        t.layerChanges = table.layerChanges
        let columnAt = Dictionary(uniqueKeysWithValues: t.columns.enumerated().map { ($1.id, $0) })
        let runAt = Dictionary(t.runs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for cell in cells {
            if let i = runAt[cell.run], let c = columnAt[cell.column] { t.values[i * m + c] = .nan }
        }
        return t
    }
}
