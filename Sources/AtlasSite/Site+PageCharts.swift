import AtlasCharts
import AtlasStore

/// The charts drawn for one page (a dataset's gains by base, a benchmark's scores by base, a model's
/// epochs): each is served as `chart.png`, `chart@2x.png` and `chart.csv` in the page's folder.
extension Site {
    /// `file` is "<stem>.png", "<stem>@2x.png" or "<stem>.csv"; anything else is a 404.
    func chartFile(_ spec: ChartSpec, file: Route.ChartFile, download: String) -> SiteResponse {
        guard let scale = file.scale else { return .csv(spec.csv, filename: download) }
        var chartStyle = style
        chartStyle.scale = scale
        return SiteResponse(contentType: "image/png", body: spec.render(chartStyle).png)
    }

    /// The figure context of a page chart in the folder `kind/id/`.
    func pageChartContext(_ kind: Route.PageChartKind, _ id: String, caption: String, links: Links) -> FigureContext {
        FigureContext(href: links.url(.pageChart(kind, id, .png2x)), png: links.url(.pageChart(kind, id, .png)),
                      png2x: links.url(.pageChart(kind, id, .png2x)), csv: links.url(.pageChart(kind, id, .csv)), alt: caption, caption: caption)
    }

    static let datasetChartCaption = "Mean gain over the base model on the main benchmarks, averaged over every run with this dataset, by base model and method, \(Figures.pointsNote)."

    /// A dataset's mean main-benchmark gain per base model, full and LoRA side by side.
    func datasetChart(_ id: String) -> GroupedBarSpec? {
        let main = db.columns.filter(\.isMain)
        let trained = rows.filter { $0.run.key.datasetID == id }
        let bases = db.bases.filter { b in trained.contains { $0.run.key.baseID == b.id } }
        guard !bases.isEmpty else { return nil }
        func meanGain(_ base: String, _ method: AtlasStore.Method) -> Double? {
            var gains: [Double] = []
            for r in trained where r.run.key.baseID == base && r.run.key.method == method {
                for c in main {
                    if let v = r.scores[c.id] ?? nil, let b = runs.baseScores[base]?[c.id] ?? nil { gains.append((v - b) * c.normalization) }
                }
            }
            return gains.isEmpty ? nil : NumberText.tidy(gains.reduce(0, +) / Double(gains.count))
        }
        return GroupedBarSpec(title: "Mean main-benchmark gain by base model", yLabel: "gain, points on 0–100", groups: bases.map(\.displayName),
                              series: ["Full", "LoRA"], values: bases.map { [meanGain($0.id, .full), meanGain($0.id, .lora)] })
    }

    static func benchmarkChartCaption(_ c: ScoreColumn) -> String {
        "\(c.displayName) by base model: the base model's score and the mean over its full-parameter and LoRA runs."
    }

    /// A benchmark column's base score and mean fine-tuned score per base model.
    func benchmarkChart(_ id: String) -> GroupedBarSpec? {
        guard let c = db.column(id: id) else { return nil }
        func mean(_ base: String, _ method: AtlasStore.Method) -> Double? {
            let v = rows.filter { $0.run.key.baseID == base && $0.run.key.method == method }.compactMap { $0.scores[id] ?? nil }
            return v.isEmpty ? nil : NumberText.tidy(v.reduce(0, +) / Double(v.count))
        }
        let bases = db.bases.filter { b in rows.contains { $0.run.key.baseID == b.id && ($0.scores[id] ?? nil) != nil } }
        guard !bases.isEmpty else { return nil }
        return GroupedBarSpec(title: "\(c.displayName) by base model", yLabel: c.unit.rawValue, groups: bases.map(\.displayName),
                              series: ["Base model", "Full (mean)", "LoRA (mean)"],
                              values: bases.map { [runs.baseScores[$0.id]?[id] ?? nil, mean($0.id, .full), mean($0.id, .lora)] })
    }

    /// `/datasets/<id>/chart…` and `/benchmarks/<id>/chart…`.
    func pageChart(_ kind: Route.PageChartKind, _ id: String, file: Route.ChartFile) throws -> SiteResponse {
        let spec: GroupedBarSpec? = kind == .datasets ? datasetChart(id) : benchmarkChart(id)
        guard let spec else { throw SiteError.notFound(Route.pageChart(kind, id, file).path) }
        return chartFile(spec, file: file, download: "\(id)-chart.csv")
    }
}
