import AtlasAnalysis
import AtlasCharts
import AtlasStore
import Foundation

/// The paper's figures, drawn from the analyses stored in a database.
public struct Figures {
    /// One figure: a stable name (used in URLs and file names), its caption, and what to draw.
    public struct Entry: Sendable {
        /// The stored analysis the figure is drawn from, and its method where the analysis has one per method.
        public var analysis: String
        public var method: String?
        public var name: String
        public var caption: String
        public var spec: any ChartSpec
    }

    /// One figure drawn.
    public struct Figure: Sendable {
        public var name: String
        public var caption: String
        public var chart: Chart
    }

    let db: AtlasDatabase
    let style: ChartStyle

    public init(db: AtlasDatabase, style: ChartStyle) {
        self.db = db
        self.style = style
    }

    private func decode<T: Decodable>(_ type: T.Type, _ name: String, _ method: String? = nil) throws -> T? {
        guard let json = try db.analysis(name, method: method) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(json.utf8))
        } catch {
            throw FigureError.staleAnalysis(name: name, detail: "\(error)")
        }
    }

    /// Every figure drawn, in the paper's order. Figures are drawn on all cores.
    public func all() throws -> [Figure] {
        let entries = try self.entries()
        let charts = ConcurrentMap.run(entries.count) { [style] i in entries[i].spec.render(style) }
        return entries.indices.map { Figure(name: entries[$0].name, caption: entries[$0].caption, chart: charts[$0]) }
    }

    /// Every figure's name, caption and spec, in the paper's order, without drawing anything.
    public func entries() throws -> [Entry] {
        var out: [Entry] = []
        for method in PaperAnalyses.methods {
            let m = method == Method.full.rawValue ? "full-parameter" : "LoRA"
            if let g = try decode(GainMatrixResult.self, "gain-matrix", method) {
                out.append(Entry(analysis: "gain-matrix", method: method, name: "gain-matrix-\(method)", caption: "Fig. 2a (\(m)): mean gain over \(g.bases.count) bases, min-max scaled per benchmark to [−1, 1].",
                                  spec: HeatmapSpec(title: "Mean gain, scaled per benchmark (\(m))", rowLabels: g.datasets.map(\.name),
                                                     columnLabels: g.benchmarks.map(\.name), values: g.scaled, limit: 1,
                                                     scaleCaption: "scaled gain")))
                let scale = g.benchmarks.map { toHundred($0.id) }
                for (b, base) in g.bases.enumerated() {
                    out.append(Entry(analysis: "gain-matrix", method: method, name: "gain-\(base.id)-\(method)", caption: "Fig. 2b (\(m)): gains of \(base.name) over its base scores, \(Self.pointsNote).",
                                      spec: HeatmapSpec(title: "Gain over the base: \(base.name) (\(m))", rowLabels: g.datasets.map(\.name),
                                                         columnLabels: g.benchmarks.map(\.name), values: Self.scaled(g.perBase[b], scale), digits: 1,
                                                         scaleCaption: "gain, points on 0–100")))
                }
            }
            if let c = try decode(ModelCorrelationResult.self, "model-correlation", method) {
                let order = c.order
                let values = order.map { i in order.map { j in c.matrix[i][j] } }
                let names = order.map { c.labels[$0].name }
                let merges = c.merges.map { (left: $0.left, right: $0.right, height: $0.height) }
                out.append(Entry(analysis: "model-correlation", method: method, name: "model-correlation-\(method)", caption: "Fig. 2c (\(m)): correlation between bases of their gain matrices, clustered by average linkage on 1 − r.",
                                  spec: HeatmapSpec(title: "Correlation of gain matrices between bases (\(m))", rowLabels: names,
                                                     columnLabels: names, values: values, limit: 1, scaleCaption: "Pearson r",
                                                     dendrogram: Dendrogram(merges: merges, order: order))))
            }
            if let p = try decode(PCAResult.self, "pca", method) {
                let groups = p.explainedVarianceRatio.indices.map { "PC\($0 + 1)" }
                out.append(Entry(analysis: "pca", method: method, name: "pca-\(method)", caption: "Fig. 2d (\(m)): share of variance explained by each principal component of the stacked gain matrix, and the cumulative share.",
                                  spec: GroupedBarSpec(title: "Principal components of the gains (\(m))", yLabel: "share of variance",
                                                        groups: groups, series: ["explained", "cumulative"],
                                                        values: groups.indices.map { [p.explainedVarianceRatio[$0], p.cumulative[$0]] })))
            }
            if let s = try decode(SimilarityTestResult.self, "similarity-test", method) {
                let names = s.bases.map(\.name)
                out.append(Entry(analysis: "similarity-test", method: method, name: "benchmark-similarity-\(method)", caption: "Fig. 3c (\(m)): how alike bases are in their benchmark × benchmark correlations.",
                                  spec: HeatmapSpec(title: "Similarity of benchmark correlations (\(m))", rowLabels: names, columnLabels: names,
                                                     values: s.benchmarkSimilarity, limit: 1, scaleCaption: "Pearson r")))
                out.append(Entry(analysis: "similarity-test", method: method, name: "dataset-similarity-\(method)", caption: "Fig. 3d (\(m)): how alike bases are in their dataset × dataset correlations.",
                                  spec: HeatmapSpec(title: "Similarity of dataset correlations (\(m))", rowLabels: names, columnLabels: names,
                                                     values: s.datasetSimilarity, limit: 1, scaleCaption: "Pearson r")))
            }
        }
        if let map = try decode(ScoreMapResult.self, "score-map") {
            out += scoreMaps(map, users: try userRunPositions(map))
        }
        if let e = try decode(EpochsResult.self, "epochs") {
            for method in PaperAnalyses.methods {
                for k in e.benchmarks {
                    let series = e.all.filter { $0.method == method }
                    guard !series.isEmpty else { continue }
                    out.append(Entry(analysis: "epochs", method: nil, name: "epochs-\(method)-\(k.id)", caption: "\(k.name) by epoch for every base trained on all ten datasets (\(method)).",
                                      spec: LineChartSpec(title: "\(k.name) by epoch, all ten datasets (\(method))", xLabel: "epoch", yLabel: k.name,
                                                           x: series[0].epochs.map(Double.init),
                                                           series: series.map { .init(name: baseName($0.base), values: $0.values[k.id] ?? []) })))
                }
            }
            if !e.sampleSize.isEmpty {
                for k in e.benchmarks {
                    out.append(Entry(analysis: "epochs", method: nil, name: "sample-size-epochs-\(k.id)", caption: "\(k.name) by epoch with 1k and 20k samples: full-parameter, constant schedule, averaged over the datasets that have both sizes.",
                                      spec: LineChartSpec(title: "\(k.name) by epoch, 1k vs 20k samples (full)", xLabel: "epoch", yLabel: k.name,
                                                           x: e.sampleSize[0].epochs.map(Double.init),
                                                           series: e.sampleSize.map { .init(name: "\(baseName($0.base)), \($0.samples / 1000)k", values: $0.values[k.id] ?? []) })))
                }
            }
        }
        if let l = try decode(LoraVsFullResult.self, "lora-vs-full") {
            out.append(Entry(analysis: "lora-vs-full", method: nil, name: "lora-vs-full", caption: "LoRA gain minus full-parameter gain, by benchmark category (paired by base and dataset), \(Self.pointsNote).",
                              spec: GroupedBarSpec(title: "LoRA minus full-parameter gain", yLabel: "mean difference, points on 0–100",
                                                    groups: l.byCategory.map(\.name), series: ["LoRA − full"],
                                                    values: l.byCategory.map { [$0.meanDifference] })))
        }
        if let s = try decode(SampleSizeResult.self, "sample-size") {
            out.append(Entry(analysis: "sample-size", method: nil, name: "sample-size", caption: "20k minus 1k samples, mean paired difference per benchmark, \(Self.pointsNote).",
                              spec: GroupedBarSpec(title: "20k minus 1k samples", yLabel: "mean difference, points on 0–100",
                                                    groups: s.comparisons.map(\.name), series: ["20k − 1k"],
                                                    values: s.comparisons.map { c in [c.meanDifference.map { NumberText.tidy($0 * toHundred(c.group)) }] })))
        }
        if let a = try decode(AblationResult.self, "ablation") {
            for method in PaperAnalyses.methods {
                let rows = a.rows.filter { $0.method == method }
                guard !rows.isEmpty else { continue }
                out.append(Entry(analysis: "ablation", method: nil, name: "ablation-\(method)", caption: "Leave-one-out: score without each dataset minus score with all ten (\(method)), \(Self.pointsNote).",
                                  spec: HeatmapSpec(title: "Leaving one dataset out (\(method))", rowLabels: rows.map { "without \($0.leftOut)" },
                                                     columnLabels: a.benchmarks.map(\.name),
                                                     values: rows.map { r in a.benchmarks.map { c in (r.change[c.id] ?? nil).map { NumberText.tidy($0 * toHundred(c.id)) } } }, digits: 1,
                                                     scaleCaption: "change, points on 0–100")))
            }
        }
        if let c = try decode(CrossLingualResult.self, "cross-lingual") {
            out += crossLingual(c)
        }
        if let l = try decode(DatasetLengthResult.self, "dataset-length"), !l.cells.isEmpty {
            out.append(datasetLength(l))
        }
        if let p = try decode(PerplexityResult.self, "perplexity"), !p.cells.isEmpty {
            out += perplexity(p)
        }
        if let w = try decode(WeightChangeResult.self, "weight-change"), w.runs > 0 {
            out += weightChange(w)
        }
        return out
    }

    /// Where side data come from, for captions: the side tables' file names as ingest recorded them.
    private var sideSource: String {
        let files = ((try? db.provenance()) ?? []).map(\.fileName).filter { $0.lowercased().contains("perplex") || $0.lowercased().contains("weight") || $0.lowercased().contains("change") }
        return files.isEmpty ? "a side table supplied at ingest" : "side tables supplied at ingest (" + files.joined(separator: ", ") + ")"
    }

    /// Colours by base for a scatter: each point's base's index, and the bases' names.
    private func byBase(_ ids: [String]) -> ([Int], [String]) {
        // In the registry's order, so that colours and the legend follow the other figures.
        var bases = db.bases.map(\.id).filter(ids.contains)
        for b in ids where !bases.contains(b) { bases.append(b) }
        return (ids.map { bases.firstIndex(of: $0)! }, bases.map(baseName))
    }

    /// Fig. 4a: log perplexity against the cell's gain; with tokens, Fig. 4b in tokens.
    private func perplexity(_ p: PerplexityResult) -> [Entry] {
        let (category, names) = byBase(p.cells.map(\.base))
        let all = p.correlations.first { $0.group == PerplexityResult.everyCell }
        var out = [Entry(analysis: "perplexity", method: nil, name: "perplexity",
                         caption: "Fig. 4a: the training data's log perplexity under each base (from \(sideSource)) against the mean gain of the base's main-grid runs on the dataset "
                            + "(the mean over the 12 main benchmarks, \(Self.pointsNote)), one point per base and dataset; r over all \(all?.n ?? 0) points \(all?.r.map { NumberText.fixed($0, 2) } ?? "n/a").",
                         spec: ScatterSpec(title: "Perplexity vs gain", xLabel: "log perplexity of the training data under the base", yLabel: "mean gain, points on 0–100",
                                           x: p.cells.map(\.logPerplexity), y: p.cells.map(\.gain), category: category, categories: names,
                                           fit: LeastSquares.fit(x: p.cells.map(\.logPerplexity), y: p.cells.map(\.gain))))]
        if p.tokens != nil {
            let t = p.cells.map { $0.tokens ?? 0 }
            out.append(Entry(analysis: "perplexity", method: nil, name: "length-tokens",
                             caption: "Fig. 4b in tokens: each dataset's mean length in tokens under each base's tokenizer (from \(sideSource)) against the same gains; "
                                + "r over all points \(p.tokens?.first?.r.map { NumberText.fixed($0, 2) } ?? "n/a").",
                             spec: ScatterSpec(title: "Dataset length in tokens vs gain", xLabel: "mean length, tokens per example", yLabel: "mean gain, points on 0–100",
                                               x: t, y: p.cells.map(\.gain), category: category, categories: names, fit: LeastSquares.fit(x: t, y: p.cells.map(\.gain)))))
        }
        return out
    }

    /// Fig. 5a–c from a weights side table.
    private func weightChange(_ w: WeightChangeResult) -> [Entry] {
        let x = w.positions.map(\.position)
        let (category, names) = byBase(w.points.map(\.base))
        let note = "\(w.runs) runs, layer positions 0 (input) to 1 (output), each run's layers interpolated onto steps of 0.05; changes from \(sideSource)"
        return [
            Entry(analysis: "weight-change", method: nil, name: "weight-change-correlation",
                  caption: "Fig. 5a: Pearson r across runs between a layer's relative weight change and the run's gain (the mean over the 12 main benchmarks, \(Self.pointsNote)), by layer position; \(note).",
                  spec: LineChartSpec(title: "Correlation of weight change with gain", xLabel: "layer position", yLabel: "Pearson r",
                                      x: x, series: [.init(name: "r(change, gain)", values: w.positions.map(\.r))])),
            Entry(analysis: "weight-change", method: nil, name: "weight-change-magnitude",
                  caption: "Fig. 5a: the mean relative weight change ‖ΔW‖_F / ‖W‖_F by layer position; \(note).",
                  spec: LineChartSpec(title: "Relative weight change by layer", xLabel: "layer position", yLabel: "mean ‖ΔW‖ / ‖W‖",
                                      x: x, series: [.init(name: "mean relative change", values: w.positions.map(\.meanChange))])),
            Entry(analysis: "weight-change", method: nil, name: "weight-change-mid",
                  caption: "Fig. 5b: at each run's layer nearest position 0.6, its relative weight change against its gain, coloured by base; r per base: "
                    + w.correlations.dropFirst().map { "\(baseName($0.group)) \($0.r.map { NumberText.fixed($0, 2) } ?? "n/a")" }.joined(separator: ", ") + ".",
                  spec: ScatterSpec(title: "Weight change at position 0.6 vs gain", xLabel: "relative weight change ‖ΔW‖ / ‖W‖", yLabel: "mean gain, points on 0–100",
                                    x: w.points.map(\.change), y: w.points.map(\.gain), category: category, categories: names,
                                    fit: LeastSquares.fit(x: w.points.map(\.change), y: w.points.map(\.gain)))),
            Entry(analysis: "weight-change", method: nil, name: "weight-change-across-bases",
                  caption: "Fig. 5c: by layer position, how alike the bases' change patterns are: for each pair of bases, r across the datasets both have between their mean changes; averaged over pairs; \(note).",
                  spec: LineChartSpec(title: "Similarity of change patterns across bases", xLabel: "layer position", yLabel: "mean r over pairs of bases",
                                      x: x, series: [.init(name: "mean r across bases", values: w.positions.map(\.crossBase))])),
        ]
    }

    /// Fig. 4b from the release: dataset mean length in words (Table 2) against the mean gain, one point per
    /// (base, dataset), coloured by base, with the least-squares line over all of them.
    private func datasetLength(_ l: DatasetLengthResult) -> Entry {
        let (category, categories) = byBase(l.cells.map(\.base))
        let overall = l.correlations.first { $0.group == DatasetLengthResult.everyCell }
        let perBase = l.correlations.dropFirst().map { "\(baseName($0.group)) \($0.r.map { NumberText.fixed($0, 2) } ?? "n/a")" }.joined(separator: ", ")
        return Entry(analysis: "dataset-length", method: nil, name: "dataset-length",
                     caption: "Fig. 4b from the release: each dataset's mean length in words per example (the paper's Table 2; words, not the paper's tokens) "
                        + "against the mean gain of the main-grid runs trained on it (both methods; the mean over the 12 main benchmarks, \(Self.pointsNote)), "
                        + "one point per base and dataset. r over all \(overall?.n ?? 0) points \(overall?.r.map { NumberText.fixed($0, 2) } ?? "n/a"); per base: \(perBase).",
                     spec: ScatterSpec(title: "Dataset length vs gain", xLabel: "mean length, words per example (Table 2)", yLabel: "mean gain, points on 0–100",
                                       x: l.cells.map(\.words), y: l.cells.map(\.gain), category: category,
                                       categories: categories, fit: LeastSquares.fit(x: l.cells.map(\.words), y: l.cells.map(\.gain))))
    }

    /// How values of different columns are put on one scale in the figures that mix them.
    static let pointsNote = "in points on 0–100 (percentages as they are, 1–10 ratings ×10, 0–1 fractions ×100)"

    /// The factor that puts column `id`'s values on 0–100 (1 for an unknown id).
    private func toHundred(_ id: String) -> Double { db.column(id: id)?.unit.toHundred ?? 1 }

    /// A matrix with each column multiplied by its factor.
    static func scaled(_ m: [[Double?]], _ factors: [Double]) -> [[Double?]] {
        m.map { row in row.enumerated().map { k, v in v.map { NumberText.tidy($0 * (k < factors.count ? factors[k] : 1)) } } }
    }

    private func baseName(_ id: String) -> String { db.bases.first { $0.id == id }?.displayName ?? id }
    private func datasetName(_ id: String) -> String { db.datasets.first { $0.id == id }?.displayName ?? id }
    private func columnName(_ id: String) -> String { db.columns.first { $0.id == id }?.displayName ?? id }

    /// The t-SNE map coloured five ways. Leave-one-out datasets share one colour ("all but one"), which keeps
    /// the dataset legend to twelve entries that the palette can tell apart.
    private func scoreMaps(_ map: ScoreMapResult, users: [(id: String, x: Double, y: Double)]) -> [Entry] {
        let looIDs = Set(db.datasets.filter { $0.leftOut != nil }.map(\.id))
        let colourings: [(key: String, title: String, label: (ScoreMapResult.Point) -> String, sortKey: (ScoreMapResult.Point) -> Int)] = [
            ("base", "base model", { baseName($0.base) }, { p in db.bases.firstIndex { $0.id == p.base } ?? 0 }),
            ("dataset", "dataset", { looIDs.contains($0.dataset) ? "all but one (leave-one-out)" : datasetName($0.dataset) },
             { p in looIDs.contains(p.dataset) ? Int.max : db.datasets.firstIndex { $0.id == p.dataset } ?? 0 }),
            ("method", "method", { $0.method == Method.full.rawValue ? "full-parameter" : "LoRA" }, { $0.method == Method.full.rawValue ? 0 : 1 }),
            ("samples", "sample size", { "\($0.samples / 1000)k samples" }, { $0.samples }),
            ("epochs", "epochs", { "\($0.epochs) epoch\($0.epochs == 1 ? "" : "s")" }, { $0.epochs }),
        ]
        return colourings.map { c in
            var seen: [String: Int] = [:]
            for p in map.points { let l = c.label(p); seen[l] = min(seen[l] ?? Int.max, c.sortKey(p)) }
            let categories = seen.keys.sorted { (seen[$0]!, $0) < (seen[$1]!, $1) }
            let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
            // A user's runs, when there are any: one more category, drawn as a distinct black marker.
            let yours = users.isEmpty ? "" : " Your runs (black stars) are placed at the mean position of their 5 nearest released runs in standardized score space: t-SNE places only the runs it was fit on."
            return Entry(analysis: "score-map", method: nil, name: "score-map-\(c.key)", caption: "Map of all fine-tuned models (t-SNE of standardized main-benchmark scores, missing scores imputed by column mean), coloured by \(c.title)." + yours,
                          spec: ScatterSpec(title: "Map of fine-tuned models, by \(c.title)", xLabel: "t-SNE 1", yLabel: "t-SNE 2",
                                             x: map.points.map(\.x) + users.map(\.x), y: map.points.map(\.y) + users.map(\.y),
                                             category: map.points.map { index[c.label($0)]! } + users.map { _ in categories.count },
                                             categories: categories + (users.isEmpty ? [] : ["your runs"]),
                                             highlighted: users.isEmpty ? nil : categories.count))
        }
    }

    /// Fig. A.1: MMLU gain against MMLU-jp and MMLU-zh gain, per main-grid run, coloured by the base's
    /// pretraining language, with the least-squares line over all runs.
    private func crossLingual(_ c: CrossLingualResult) -> [Entry] {
        guard c.columns.count == 3 else { return [] }
        var languages: [String] = []
        for p in c.points where !languages.contains(p.language) { languages.append(p.language) }
        return [1, 2].map { other in
            let pairs = c.points.compactMap { p -> (Double, Double, Int)? in
                guard let x = p.gains[0], let y = p.gains[other] else { return nil }
                return (x, y, languages.firstIndex(of: p.language)!)
            }
            let name = columnName(c.columns[other]), english = columnName(c.columns[0])
            return Entry(analysis: "cross-lingual", method: nil, name: "cross-lingual-\(c.columns[other])", caption: "Fig. A.1: gain on \(english) against gain on \(name), one point per main-grid run (both methods), coloured by the base's pretraining language; the line is the least-squares fit over all of them.",
                          spec: ScatterSpec(title: "Gain on \(english) vs \(name)", xLabel: "\(english) gain", yLabel: "\(name) gain",
                                             x: pairs.map(\.0), y: pairs.map(\.1), category: pairs.map(\.2),
                                             categories: languages.map { "pretrained on \($0)" },
                                             fit: LeastSquares.fit(x: pairs.map(\.0), y: pairs.map(\.1))))
        }
    }
}

/// Ordinary least squares for one predictor, with Pearson r (from `Correlation`, the one implementation).
enum LeastSquares {
    static func fit(x: [Double], y: [Double]) -> (slope: Double, intercept: Double, r: Double)? {
        guard x.count == y.count, x.count >= 3, let r = Correlation.pearson(x, y) else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for i in x.indices {
            sxx += (x[i] - mx) * (x[i] - mx)
            sxy += (x[i] - mx) * (y[i] - my)
        }
        let slope = sxy / sxx
        return (slope, my - slope * mx, r)
    }
}

public enum FigureError: Error, CustomStringConvertible {
    case staleAnalysis(name: String, detail: String)

    public var description: String {
        switch self {
        case let .staleAnalysis(name, detail):
            return "the stored analysis '\(name)' does not have the shape this version of SFT Atlas reads; ingest the data again (\(detail))"
        }
    }
}
