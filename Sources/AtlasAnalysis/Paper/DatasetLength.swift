import AtlasDomain

/// Fig. 4b from the release: a dataset's mean length (words per example, the paper's Table 2) against the
/// gain of the runs trained on it. One cell per (main-grid base, dataset): the mean over its main-grid runs
/// (1k samples, cosine schedule, both methods) of each run's gain, the mean over the 12 main columns on
/// 0–100. Pearson r over the cells, per base (over its datasets), and over the datasets' mean gains.
public struct DatasetLengthResult: Codable, Equatable, Sendable {
    public struct Cell: Codable, Equatable, Sendable {
        public var base: String
        public var dataset: String
        public var words: Double
        public var gain: Double
        public var runs: Int
    }

    public var definition: String
    public var unit: String
    public var cells: [Cell]
    /// Over every cell (group "all"), then per base.
    public var correlations: [GroupCorrelation]
    /// Over the datasets, each with its cells' mean gain.
    public var acrossDatasets: GroupCorrelation

    public static let everyCell = "all"

    enum CodingKeys: String, CodingKey {
        case definition, unit, cells, correlations
        case acrossDatasets = "across_datasets"
    }

    public init(_ table: StudyTable) {
        var cells: [Cell] = []
        for b in table.mainBases {
            for d in table.datasets {
                guard let words = table.datasetLength[d.id], let g = table.cellGain(base: b.id, dataset: d.id) else { continue }
                cells.append(Cell(base: b.id, dataset: d.id, words: words, gain: g.gain, runs: g.runs))
            }
        }
        self.cells = cells
        func r(_ group: String, _ cs: [Cell]) -> GroupCorrelation { GroupCorrelation(group, cs.map(\.words), cs.map(\.gain)) }
        correlations = [r(Self.everyCell, cells)] + table.mainBases.map { b in r(b.id, cells.filter { $0.base == b.id }) }
        let byDataset = table.datasets.compactMap { d -> (Double, Double)? in
            let cs = cells.filter { $0.dataset == d.id }
            return cs.isEmpty ? nil : (cs[0].words, cs.map(\.gain).reduce(0, +) / Double(cs.count))
        }
        acrossDatasets = GroupCorrelation("dataset means", byDataset.map(\.0), byDataset.map(\.1))
        unit = "words per example, after the 1k-sample preprocessing (the paper's Table 2), not tokens"
        definition = "Per (main-grid base, dataset): the mean over its main-grid runs (1k samples, cosine, both methods) of the run's gain, "
            + "the mean over the 12 main columns of gains on 0–100 (MT-Bench ×10, TruthfulQA ×100; a run missing any is left out), "
            + "against the dataset's mean length in words. Pearson r over the cells, per base, and over the datasets' mean gains."
    }
}
