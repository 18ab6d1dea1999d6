import AtlasDomain
import Foundation

/// One stored analysis: its JSON document name, the method it applies to (`nil` when it has none), and the JSON.
public struct AnalysisDocument: Equatable, Sendable {
    public var name: String
    public var method: String?
    public var json: String

    public init(name: String, method: String?, json: String) {
        self.name = name
        self.method = method
        self.json = json
    }
}

/// Every analysis of the paper, computed from a `StudyTable`.
public enum PaperAnalyses {
    public static let methods = Method.allCases.map(\.rawValue)
    /// Bumped whenever a document's shape or the registry behind it changes, so cached demo databases are made again
    /// (6: Table 3 categories, Table 1 languages, per-method epoch statistics, Swallow-Mistral plan gaps).
    public static let formatVersion = 6

    /// What every document says of its data: the release's runs, whatever a user adds beside them.
    public static let dataNote = "the released runs only: runs a user adds are shown beside them, never analysed here"
    /// Document names, in the order of the figures.
    public static let names = ["gain-matrix", "model-correlation", "pca", "similarity-test", "score-map", "epochs",
                               "sample-size", "lora-vs-full", "ablation", "cross-lingual", "dataset-length", "perplexity", "weight-change", "claims"]

    public static func compute(_ table: StudyTable, flags: SensitivityFlags? = nil) throws -> [AnalysisDocument] {
        var docs: [AnalysisDocument] = []
        let grid = GridAnalyses(table)
        for m in methods {
            docs.append(try document("gain-matrix", m, grid.gains[m]!))
            docs.append(try document("model-correlation", m, grid.correlations[m]!))
            docs.append(try document("pca", m, grid.pcas[m]!))
            docs.append(try document("similarity-test", m, grid.similarity[m]!))
        }
        let map = ScoreMapResult(table)
        let cross = CrossLingualResult(table)
        docs.append(try document("score-map", nil, map))
        docs.append(try document("epochs", nil, EpochsResult(table)))
        docs.append(try document("sample-size", nil, SampleSizeResult(table)))
        docs.append(try document("lora-vs-full", nil, LoraVsFullResult(table)))
        docs.append(try document("ablation", nil, AblationResult(table)))
        docs.append(try document("cross-lingual", nil, cross))
        let side = SideResults(table)
        if let length = side.length { docs.append(try document("dataset-length", nil, length)) }
        if let p = side.perplexity { docs.append(try document("perplexity", nil, p)) }
        if let w = side.weights { docs.append(try document("weight-change", nil, w)) }
        var claims = grid.claims(map: map, cross: cross, families: table.baseFamily, side: side)
        claims.figureStatistics = FigureStatistic.compute(table, grid: grid)
        if let flags, !flags.isEmpty { claims = Sensitivity.annotate(claims, table: table, flags: flags, map: map) }
        docs.append(try document("claims", nil, claims))
        return docs
    }

    /// Sorted keys, so the same data gives the same bytes; each document states its data (`dataNote`).
    static func document<T: Encodable>(_ name: String, _ method: String?, _ value: T) throws -> AnalysisDocument {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return AnalysisDocument(name: name, method: method, json: String(decoding: try encoder.encode(Stamped(value: value)), as: UTF8.self))
    }

    /// A document's own members and `data`, in one object.
    private struct Stamped<T: Encodable>: Encodable {
        let value: T
        enum Key: String, CodingKey { case data }
        func encode(to encoder: Encoder) throws {
            try value.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(PaperAnalyses.dataNote, forKey: .data)
        }
    }
}
