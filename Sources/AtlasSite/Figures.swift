import AtlasAnalysis
import AtlasCharts
import AtlasStore
import Foundation

/// The paper's figures, drawn from the analyses stored in a database.
public struct Figures {
    /// One figure: a stable name (used in URLs and file names), its caption, and the drawn chart.
    public struct Figure {
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
        return try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// Every figure, in the paper's order.
    public func all() throws -> [Figure] {
        var out: [Figure] = []
        for method in PaperAnalyses.methods {
            let m = method == "full" ? "full-parameter" : "LoRA"
            if let g = try decode(GainMatrixResult.self, "gain-matrix", method) {
                out.append(Figure(name: "gain-matrix-\(method)", caption: "Fig. 2a (\(m)): mean gain over \(g.bases.count) bases, min-max scaled per benchmark to [−1, 1].",
                                  chart: HeatmapSpec(title: "Mean gain, scaled per benchmark (\(m))", rowLabels: g.datasets.map(\.name),
                                                     columnLabels: g.benchmarks.map(\.name), values: g.scaled, limit: 1,
                                                     scaleCaption: "scaled gain").render(style)))
                for (b, base) in g.bases.enumerated() {
                    out.append(Figure(name: "gain-\(base.id)-\(method)", caption: "Fig. 2b (\(m)): gains of \(base.name) over its base scores.",
                                      chart: HeatmapSpec(title: "Gain over the base: \(base.name) (\(m))", rowLabels: g.datasets.map(\.name),
                                                         columnLabels: g.benchmarks.map(\.name), values: g.perBase[b], digits: 1,
                                                         scaleCaption: "score − base score").render(style)))
                }
            }
            if let c = try decode(ModelCorrelationResult.self, "model-correlation", method) {
                let order = c.order
                let values = order.map { i in order.map { j in c.matrix[i][j] } }
                let names = order.map { c.labels[$0].name }
                let merges = c.merges.map { (left: $0.left, right: $0.right, height: $0.height) }
                out.append(Figure(name: "model-correlation-\(method)", caption: "Fig. 2c (\(m)): correlation between bases of their gain matrices, clustered by average linkage on 1 − r.",
                                  chart: HeatmapSpec(title: "Correlation of gain matrices between bases (\(m))", rowLabels: names,
                                                     columnLabels: names, values: values, limit: 1, scaleCaption: "Pearson r",
                                                     dendrogram: Dendrogram(merges: merges, order: order)).render(style)))
            }
            if let p = try decode(PCAResult.self, "pca", method) {
                let groups = p.explainedVarianceRatio.indices.map { "PC\($0 + 1)" }
                out.append(Figure(name: "pca-\(method)", caption: "Fig. 2d (\(m)): share of variance explained by each principal component of the stacked gain matrix, and the cumulative share.",
                                  chart: GroupedBarSpec(title: "Principal components of the gains (\(m))", yLabel: "share of variance",
                                                        groups: groups, series: ["explained", "cumulative"],
                                                        values: groups.indices.map { [p.explainedVarianceRatio[$0], p.cumulative[$0]] }).render(style)))
            }
            if let s = try decode(SimilarityTestResult.self, "similarity-test", method) {
                let names = s.bases.map(\.name)
                out.append(Figure(name: "benchmark-similarity-\(method)", caption: "Fig. 3c (\(m)): how alike bases are in their benchmark × benchmark correlations.",
                                  chart: HeatmapSpec(title: "Similarity of benchmark correlations (\(m))", rowLabels: names, columnLabels: names,
                                                     values: s.benchmarkSimilarity, limit: 1, scaleCaption: "Pearson r").render(style)))
                out.append(Figure(name: "dataset-similarity-\(method)", caption: "Fig. 3d (\(m)): how alike bases are in their dataset × dataset correlations.",
                                  chart: HeatmapSpec(title: "Similarity of dataset correlations (\(m))", rowLabels: names, columnLabels: names,
                                                     values: s.datasetSimilarity, limit: 1, scaleCaption: "Pearson r").render(style)))
            }
        }
        if let map = try decode(ScoreMapResult.self, "score-map") {
            var names: [String: String] = ["full": "Full", "lora": "LoRA"]
            for b in db.bases { names[b.id] = b.displayName }
            for d in db.datasets { names[d.id] = d.displayName }
            for (key, title) in [("base", "base model"), ("dataset", "dataset"), ("method", "method")] {
                let ids = map.points.map { key == "base" ? $0.base : key == "dataset" ? $0.dataset : $0.method }
                let values = ids.map { names[$0] ?? $0 }
                var categories: [String] = []
                for v in values where !categories.contains(v) { categories.append(v) }
                out.append(Figure(name: "score-map-\(key)", caption: "Map of all fine-tuned models (t-SNE of standardized main-benchmark scores), coloured by \(title).",
                                  chart: ScatterSpec(title: "Map of fine-tuned models, by \(title)", xLabel: "t-SNE 1", yLabel: "t-SNE 2",
                                                     x: map.points.map(\.x), y: map.points.map(\.y),
                                                     category: values.map { categories.firstIndex(of: $0)! }, categories: categories).render(style)))
            }
        }
        if let e = try decode(EpochsResult.self, "epochs") {
            for method in PaperAnalyses.methods {
                for k in e.benchmarks {
                    let series = e.all.filter { $0.method == method }
                    guard !series.isEmpty else { continue }
                    out.append(Figure(name: "epochs-\(method)-\(k.id)", caption: "\(k.name) by epoch for every base trained on all ten datasets (\(method)).",
                                      chart: LineChartSpec(title: "\(k.name) by epoch, all ten datasets (\(method))", xLabel: "epoch", yLabel: k.name,
                                                           x: series[0].epochs.map(Double.init),
                                                           series: series.map { .init(name: $0.base, values: $0.values[k.id] ?? []) }).render(style)))
                }
            }
        }
        if let l = try decode(LoraVsFullResult.self, "lora-vs-full") {
            out.append(Figure(name: "lora-vs-full", caption: "LoRA gain minus full-parameter gain, by benchmark category (paired by base and dataset).",
                              chart: GroupedBarSpec(title: "LoRA minus full-parameter gain", yLabel: "mean difference",
                                                    groups: l.byCategory.map(\.name), series: ["LoRA − full"],
                                                    values: l.byCategory.map { [$0.meanDifference] }).render(style)))
        }
        if let s = try decode(SampleSizeResult.self, "sample-size") {
            out.append(Figure(name: "sample-size", caption: "20k minus 1k samples, mean paired difference per benchmark.",
                              chart: GroupedBarSpec(title: "20k minus 1k samples", yLabel: "mean difference",
                                                    groups: s.comparisons.map(\.name), series: ["20k − 1k"],
                                                    values: s.comparisons.map { [$0.meanDifference] }).render(style)))
        }
        if let a = try decode(AblationResult.self, "ablation") {
            for method in PaperAnalyses.methods {
                let rows = a.rows.filter { $0.method == method }
                guard !rows.isEmpty else { continue }
                out.append(Figure(name: "ablation-\(method)", caption: "Leave-one-out: score without each dataset minus score with all ten (\(method)).",
                                  chart: HeatmapSpec(title: "Leaving one dataset out (\(method))", rowLabels: rows.map { "without \($0.leftOut)" },
                                                     columnLabels: a.benchmarks.map(\.name),
                                                     values: rows.map { r in a.benchmarks.map { (r.change[$0.id] ?? nil) } }, digits: 1,
                                                     scaleCaption: "change").render(style)))
            }
        }
        return out
    }
}
