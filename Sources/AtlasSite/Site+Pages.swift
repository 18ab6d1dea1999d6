import AtlasAnalysis
import AtlasCharts
import AtlasStore
import Foundation

extension Site {
    func figureContext(_ e: Figures.Entry, links: Links) -> FigureContext {
        FigureContext(href: links.figure(e.name), png: links.figureFile(e.name, .png), png2x: links.figureFile(e.name, .png2x),
                      csv: nil, alt: e.caption, caption: e.caption)
    }

    func home(links: Links) -> SiteResponse {
        let key = ["gain-matrix-full", "model-correlation-full", "pca-full", "score-map-base"].compactMap { figures[$0] }
        // The lead describes the study, so it counts the release's rows only; a user's own runs, bases, datasets and
        // columns are counted in the list below it.
        let release = rows.filter { !$0.run.isUser }
        let singles = Set(db.datasets.filter { $0.kind == .single }.map(\.id))
        let study = (bases: Set(release.map(\.run.key.baseID)).count,
                     datasets: Set(release.compactMap(\.run.key.datasetID)).intersection(singles).count,
                     columns: Set(release.flatMap { $0.scores.compactMap { $0.value == nil ? nil : $0.key } }).count)
        let context = HomePage(layout: layout(links: links), bases: study.bases, datasetCount: study.datasets, studyColumns: study.columns,
                               columns: db.columns.count, tuned: rows.filter { !$0.run.key.isBase }.count,
                               baseRows: rows.filter { $0.run.key.isBase }.count, figureCount: figures.entries.count, keyFigures: key.map { figureContext($0, links: links) })
        return .html(templates.render("home", context))
    }

    func generic(_ heading: String, intro: String? = nil, tables: [HTMLTable] = [], figures: [Figures.Entry] = [], charts: [FigureContext] = [],
                 definitions: [(String, String)] = [], related: [(String, String)] = [], alternates: [(String, String)] = [], links: Links) -> SiteResponse {
        let context = GenericPage(layout: layout(alternates: alternates.map { (type: $0.0, href: $0.1) }, links: links), heading: heading, intro: intro,
                                  links: related.map { LayoutContext.Link(label: $0.0, href: $0.1) }, figures: charts + figures.map { figureContext($0, links: links) },
                                  tables: tables.map(\.rendered), definitions: definitions.map { GenericPage.Definition(term: $0.0, text: InlineText.html($0.1)) })
        let link = alternates.map { "<\($0.1)>; rel=\"alternate\"; type=\"\($0.0)\"" }.joined(separator: ", ")
        return .html(templates.render("page", context), headers: link.isEmpty ? [] : [("Link", link)])
    }

    func basesPage(links: Links) -> SiteResponse {
        let table = HTMLTable(headers: [.init(label: "Base model"), .init(label: "Family"), .init(label: "Language"), .init(label: "Parameters (B)", numeric: true),
                                        .init(label: "Context", numeric: true), .init(label: "Fine-tuned runs", numeric: true), .init(label: "In main grid")],
                              rows: db.bases.map { b in
                                  HTMLTable.Row(cells: [.init(text: b.displayName, href: links.base(b.id)), .init(text: b.family), .init(text: b.language),
                                                        .init(text: b.parametersBillions.map { NumberText.plain($0) } ?? "n/a", numeric: true),
                                                        .init(text: b.contextLength.map(String.init) ?? "n/a", numeric: true),
                                                        .init(text: String(rows.filter { $0.run.key.baseID == b.id && !$0.run.key.isBase }.count), numeric: true),
                                                        .init(text: b.inMainGrid ? "yes" : "no")])
                              })
        return generic("Base models", intro: "The pretrained models that were fine-tuned. The paper's twelfth, Swallow-Mistral-7B, has no scores: its models were trained, but every evaluation ran out of memory, so its 40 planned runs are among the plan gaps of the quality report.", tables: [table],
                       alternates: [("application/json", links.api(.registry(.bases, .json))), ("text/csv", links.api(.registry(.bases, .csv)))], links: links)
    }

    func basePage(_ id: String, links: Links) throws -> SiteResponse {
        guard let b = db.bases.first(where: { $0.id == id }) else { throw SiteError.notFound(Route.base(id).path) }
        let shown = figures.entries.filter { $0.name == "gain-\(id)-full" || $0.name == "gain-\(id)-lora" }
        let runs = rows.filter { $0.run.key.baseID == id }
        let main = db.columns.filter(\.isMain)
        let table = leaderboard(runs.filter { !$0.run.key.isBase }, columns: main, caption: "Fine-tuned runs of \(b.displayName), best average first.", links: links)
        return generic(b.displayName, intro: "\(b.family) family, pretrained mainly on \(b.language)\(b.parametersBillions.map { ", \(NumberText.plain($0))B parameters" } ?? "").",
                       tables: [table], figures: shown,
                       related: [("All runs in the catalog", links.models + Links.query([("base", id)])), ("Base model page", links.model(RunKey(baseID: id, datasetID: nil, method: nil, epochs: 0, samples: 0, schedule: nil).id))], links: links)
    }

    func datasetsPage(links: Links) -> SiteResponse {
        let table = HTMLTable(headers: [.init(label: "Dataset"), .init(label: "Kind"), .init(label: "Category"), .init(label: "Source"),
                                        .init(label: "Samples in source", numeric: true), .init(label: "Mean length (words)", numeric: true), .init(label: "Runs", numeric: true)],
                              rows: db.datasets.map { d in
                                  HTMLTable.Row(cells: [.init(text: d.displayName, href: links.dataset(d.id)), .init(text: d.kind.rawValue), .init(text: d.category),
                                                        .init(text: d.sourceRepository ?? "n/a"), .init(text: d.sourceSamples.map(String.init) ?? "n/a", numeric: true),
                                                        .init(text: d.meanLength.map { NumberText.fixed($0, 2) } ?? "n/a", numeric: true),
                                                        .init(text: String(rows.filter { $0.run.key.datasetID == d.id }.count), numeric: true)])
                              })
        return generic("Datasets", intro: "The instruction datasets, their merge (all ten) and the leave-one-out merges. Sources, sizes and mean lengths are \(Dataset.propertiesSource).",
                       tables: [table], alternates: [("application/json", links.api(.registry(.datasets, .json))), ("text/csv", links.api(.registry(.datasets, .csv)))], links: links)
    }

    func datasetPage(_ id: String, links: Links) throws -> SiteResponse {
        guard let d = db.datasets.first(where: { $0.id == id }) else { throw SiteError.notFound(Route.dataset(id).path) }
        let runs = rows.filter { $0.run.key.datasetID == id }
        let table = leaderboard(runs, columns: db.columns.filter(\.isMain), caption: "Runs trained on \(d.displayName), best average first.", links: links)
        let chart = datasetChart(id) == nil ? [] : [pageChartContext(.datasets, id, caption: Self.datasetChartCaption, links: links)]
        var facts = [d.category, d.kind.rawValue] + (d.sourceRepository.map { ["source \($0)"] } ?? [])
        if let n = d.sourceSamples { facts.append("\(n) examples in the source") }
        if let l = d.meanLength { facts.append("mean length \(NumberText.fixed(l, 2)) words per example") }
        let sourced = d.propertiesSource.map { " Size and length: \($0)." } ?? ""
        return generic(d.displayName, intro: facts.joined(separator: " · ") + "." + sourced, tables: [table],
                       charts: chart,
                       related: [("All runs in the catalog", links.models + Links.query([("dataset", id)])), ("Chart data (CSV)", links.url(.pageChart(.datasets, id, .csv)))], links: links)
    }

    func benchmarksPage(links: Links) -> SiteResponse {
        let table = HTMLTable(headers: [.init(label: "Column"), .init(label: "Benchmark"), .init(label: "Shots", numeric: true), .init(label: "Category"),
                                        .init(label: "Unit"), .init(label: "Higher is better"), .init(label: "Main")],
                              rows: db.columns.map { c in
                                  HTMLTable.Row(cells: [.init(text: c.displayName, href: links.benchmark(c.id)), .init(text: c.benchmarkName),
                                                        .init(text: c.shots.map(String.init) ?? "n/a", numeric: true), .init(text: c.category),
                                                        .init(text: c.unit.rawValue), .init(text: c.higherIsBetter ? "yes" : "no"), .init(text: c.isMain ? "yes" : "no")])
                              })
        return generic("Benchmarks", intro: "Every score column of the release. The 12 main benchmarks are the zero-shot columns the paper's figures use.",
                       tables: [table], alternates: [("application/json", links.api(.registry(.benchmarks, .json))), ("text/csv", links.api(.registry(.benchmarks, .csv)))], links: links)
    }

    func benchmarkPage(_ id: String, links: Links) throws -> SiteResponse {
        guard let c = db.column(id: id) else { throw SiteError.notFound(Route.benchmark(id).path) }
        // (score, id) pairs, built once: a run's id is computed, and sorting compares O(n log n) times.
        let ranked = rows.compactMap { r in (r.scores[id] ?? nil).map { (value: $0, id: r.run.id, yours: r.run.isUser) } }
            .sorted { a, b in c.higherIsBetter ? (a.value, a.id) > (b.value, b.id) : (a.value, a.id) < (b.value, b.id) }
        let table = HTMLTable(caption: "Top 100 of \(ranked.count) models with a score.",
                              headers: [.init(label: "Rank", numeric: true), .init(label: "Model"), .init(label: c.displayName, numeric: true)],
                              rows: ranked.prefix(100).enumerated().map { i, r in
                                  HTMLTable.Row(cells: [.init(text: String(i + 1), numeric: true), .init(text: r.id, href: links.model(r.id), note: r.yours ? "yours" : nil),
                                                        .init(text: c.text(r.value), numeric: true)])
                              })
        let shown = figures.entries.filter { $0.name.hasSuffix("-\(id)") }
        let chart = benchmarkChart(id) == nil ? [] : [pageChartContext(.benchmarks, id, caption: Self.benchmarkChartCaption(c), links: links)]
        return generic(c.displayName, intro: "\(c.benchmarkName), \(c.shots.map { "\($0)-shot" } ?? "shots unknown"), \(c.category); unit \(c.unit.rawValue); \(c.higherIsBetter ? "higher" : "lower") is better.",
                       tables: [table], figures: shown, charts: chart,
                       related: [("Sorted catalog", links.models + Links.query([("sort", id), ("order", c.higherIsBetter ? "desc" : "asc")])),
                               ("Chart data (CSV)", links.url(.pageChart(.benchmarks, id, .csv)))], links: links)
    }

    /// Runs ordered by their average over `columns` (the catalog's: normalized, missing when any column is), best first.
    func leaderboard(_ runs: [RunRow], columns: [ScoreColumn], caption: String, links: Links) -> HTMLTable {
        func average(_ r: RunRow) -> Double? {
            var sum = 0.0
            for c in columns {
                guard let v = r.scores[c.id] ?? nil else { return nil }
                sum += v * c.normalization
            }
            return columns.isEmpty ? nil : sum / Double(columns.count)
        }
        let ordered = runs.map { ($0, average($0)) }.sorted { ($0.1 ?? -.infinity, $1.0.run.id) > ($1.1 ?? -.infinity, $0.0.run.id) }
        return HTMLTable(caption: caption + " Average: " + ScoreColumn.normalizationNote + ".",
                         headers: [.init(label: "Model"), .init(label: "Average", numeric: true)] + columns.map { .init(label: $0.displayName, numeric: true) },
                         rows: ordered.map { r, m in
                             HTMLTable.Row(cells: [.init(text: r.run.id, href: links.model(r.run.id), note: r.run.isUser ? "yours" : nil), .init(text: m.map { NumberText.fixed($0, 1) } ?? "n/a", numeric: true)]
                                           + columns.map { .init(text: $0.text(r.scores[$0.id] ?? nil), numeric: true) })
                         })
    }

    /// The figures, grouped as in the paper, with a contents list.
    func figuresPage(links: Links) -> SiteResponse {
        var groups = FigureGroup.all + [FigureGroup(id: "other", title: "Other figures", intro: "", analyses: [])]
        let members = Dictionary(grouping: figures.entries) { FigureGroup.of($0.analysis) }
        groups = groups.filter { members[$0.id] != nil }
        let context = FiguresPage(layout: layout(links: links), groups: groups.map { g in
            FiguresPage.Group(id: g.id, title: g.title, intro: g.intro, figures: (members[g.id] ?? []).map { e in
                FiguresPage.Thumbnail(href: links.figure(e.name), png: links.figureFile(e.name, .png), png2x: links.figureFile(e.name, .png2x),
                                      title: e.spec.title, alt: e.caption)
            })
        }, definitions: Self.definitions.map { ($0.0, InlineText.html($0.1)) })
        return .html(templates.render("figures", context))
    }

    static let definitions: [(String, String)] = [
        ("Gain", "A fine-tuned run's score minus its base model's score in the same column."),
        ("Main benchmarks", "The 12 zero-shot columns: MATH, GSM8K, HumanEval, MBPP, BoolQ, NaturalQuestions, TruthfulQA, MMLU, MMLU-jp, MMLU-zh, MT-Bench and AlpacaEval v2."),
        ("Main grid", "10 bases (every base except Gemma2-9B) × the 10 datasets, 1k samples, cosine schedule, at the epoch present for those runs; full and LoRA analysed separately."),
        ("Missing values", "Stay missing: correlations use pairwise-complete observations; a matrix that needs complete rows drops incomplete ones and says how many. The model map imputes missing scores by column mean."),
        ("Points on 0–100", "How charts that mix columns put them on one scale: percentages as they are, 1–10 ratings ×10, 0–1 fractions ×100."),
    ]

    func figurePage(_ name: String, links: Links) throws -> SiteResponse {
        guard let e = figures[name] else { throw SiteError.notFound(Route.figure(name).path) }
        let (analysis, method) = (e.analysis, e.method)
        var definitions = Self.definitions
        if let d = analyses.definitions[AnalysisKey(analysis, method.flatMap(Method.init(rawValue:)))] {
            definitions.insert(("This analysis", d), at: 0)
        }
        var tables: [HTMLTable] = []
        let related = analyses.claims?.claims.filter { $0.analysis == analysis } ?? []
        if !related.isEmpty {
            tables.append(HTMLTable(headers: [.init(label: "Claim"), .init(label: "Statistic"), .init(label: "Verdict")],
                                    rows: related.map { .init(cells: [.init(text: $0.claim), .init(text: $0.statistic), .init(text: $0.verdict.rawValue, note: $0.fragile == true ? "fragile" : nil)]) },
                                    title: "The claim it bears on"))
            // The same claim with the data the audit flags left out.
            let variants = related.flatMap { c in (c.sensitivity ?? []).map { (c, $0) } }
            if !variants.isEmpty {
                tables.append(HTMLTable(headers: [.init(label: "Left out"), .init(label: "Statistic"), .init(label: "Verdict")],
                                        rows: variants.map { c, v in .init(cells: [.init(text: v.variant), .init(text: v.statistic),
                                                                                   .init(text: v.verdict.rawValue, note: v.verdict != c.verdict ? "changes" : nil)]) },
                                        title: "Sensitivity to the data the audit flags"))
            }
        }
        // A figure no claim covers: its main statistic, with the data the audit flags left out.
        tables += sideCorrelationTables(analysis, links: links)
        // (A figure whose entry has no method but whose name has one, as the epoch figures, shows that method's rows.)
        let statMethod = method ?? Method.allCases.map(\.rawValue).first { name.contains("-\($0)-") }
        let statistics = (analyses.claims?.figureStatistics ?? []).filter { $0.analysis == analysis && (statMethod == nil || $0.method == statMethod) }
        if let t = figureStatisticsTable(statistics, title: "Main statistic, and its sensitivity to the data the audit flags") { tables.append(t) }
        // On its own page a figure links to its 2× image, not to the page itself.
        var shown = figureContext(e, links: links)
        shown.href = links.figureFile(name, .png2x)
        return generic(e.spec.title, tables: tables, charts: [shown], definitions: definitions,
                       related: [("Data (CSV)", links.figureFile(name, .csv)), ("Analysis (JSON)", links.analysis(analysis, method: method)),
                               ("PNG at 2×", links.figureFile(name, .png2x)), ("All figures", links.figures)],
                       alternates: [("text/csv", links.figureFile(name, .csv)), ("application/json", links.analysis(analysis, method: method))], links: links)
    }

    /// `<name>.png`, `<name>@2x.png` or `<name>.csv`.
    func figureFile(_ name: String, _ file: Route.ChartFile) throws -> SiteResponse {
        guard let e = figures[name] else { throw SiteError.notFound(Route.figureFile(name, file).path) }
        return chartFile(e.spec, file: file, download: "\(name).csv")
    }

    func claimsPage(links: Links) -> SiteResponse {
        let claims = analyses.claims?.claims ?? []
        let table = HTMLTable(headers: [.init(label: "Claim"), .init(label: "Recomputed statistic"), .init(label: "Verdict"), .init(label: "Why")],
                              rows: claims.map { c in
                                  HTMLTable.Row(cells: [.init(text: c.claim), .init(text: c.statistic),
                                                        .init(text: c.verdict.rawValue, href: c.analysis.map { a in figures.entries.first { $0.analysis == a }.map { links.figure($0.name) } ?? links.analysis(a, method: nil) },
                                                              note: c.fragile == true ? "fragile" : nil),
                                                        .init(text: c.reasoning)])
                              })
        // Each checkable claim with the data the audit flags left out, verdict beside verdict.
        let variants = claims.first { !($0.sensitivity ?? []).isEmpty }?.sensitivity?.map(\.variant) ?? []
        let sensitivity = variants.isEmpty ? [] : [HTMLTable(
            caption: "The claims recomputed with the data the audit flags left out (see Data quality). Fragile: a verdict that changes; the model map is not refit.",
            headers: [.init(label: "Claim"), .init(label: "As released")] + variants.map { .init(label: Self.shortVariant($0)) },
            rows: claims.filter { $0.verdict != .notCheckable }.map { c in
                HTMLTable.Row(cells: [.init(text: c.claim, note: c.fragile == true ? "fragile: \(c.hingesOn ?? "")" : nil), .init(text: c.verdict.rawValue)]
                              + variants.map { v in
                                  let found = c.sensitivity?.first { $0.variant == v }
                                  return HTMLTable.Cell(text: found?.verdict.rawValue ?? "—", note: found?.statistic)
                              })
            }, title: "Sensitivity to flagged data")]
        let statistics = figureStatisticsTable(analyses.claims?.figureStatistics ?? [], title: "The other figures' main statistics, and their sensitivity", linked: links)
        return generic("The paper's claims", intro: "Each headline claim, the statistic recomputed from the released scores, and a verdict; then each verdict again with the data the audit flags left out, and the main statistic of each figure no claim covers.",
                       tables: [table] + sensitivity + (statistics.map { [$0] } ?? []), related: [("Data quality", links.url(.quality))],
                       alternates: [("application/json", links.analysis("claims", method: nil))], links: links)
    }

    /// Figure statistics as a table: the value as released, then under each variant (where the audit flagged
    /// anything); with `linked`, a first column naming each row's figure, linked.
    func figureStatisticsTable(_ stats: [FigureStatistic], title: String, linked links: Links? = nil) -> HTMLTable? {
        guard let first = stats.first, !first.variants.isEmpty else { return nil }
        let variants = first.variants.map(\.variant)
        func text(_ x: Double?) -> String {
            guard let x else { return "n/a" }
            if x == x.rounded(), abs(x) < 1e6 { return String(Int(x)) }
            return abs(x) < 0.001 ? String(format: "%.2e", x) : NumberText.fixed(x, 3)
        }
        return HTMLTable(
            caption: "Recomputed " + variants.joined(separator: "; ") + ". Marked: a p-value on the other side of the paper's level (0.01 for the similarity test), or another value that moves by over a tenth.",
            headers: (links == nil ? [] : [.init(label: "Figure")]) + [.init(label: "Statistic"), .init(label: "As released", numeric: true)]
                + variants.map { .init(label: Self.shortVariant($0), numeric: true) },
            rows: stats.map { s in
                let figure = links.map { l -> [HTMLTable.Cell] in
                    // A figure of the statistic's method: by the entry's method, or by its name (the epoch figures
                    // share one analysis document, so their entries carry no method).
                    let href = (figures.entries.first { $0.analysis == s.analysis && s.method != nil && ($0.method == s.method || $0.name.contains("-\(s.method!)-")) }
                        ?? figures.entries.first { $0.analysis == s.analysis && ($0.method == nil || $0.method == s.method) }).map { l.figure($0.name) }
                    return [.init(text: s.analysis + (s.method.map { " (\($0))" } ?? ""), href: href)]
                } ?? []
                // The method goes with the statistic, so that a page showing both methods' rows tells them apart.
                let method = s.method.map { Method(rawValue: $0)?.displayName ?? $0 }.map { " (\($0))" } ?? ""
                return HTMLTable.Row(cells: figure + [.init(text: s.statistic + method), .init(text: text(s.value), numeric: true)] + variants.map { v in
                    let found = s.variants.first { $0.variant == v }?.value
                    return HTMLTable.Cell(text: text(found), numeric: true, note: s.changes(found) ? (s.threshold == nil ? "moves" : "crosses") : nil)
                })
            }, title: title)
    }

    /// The correlations behind a side-data figure (Figs. 4a, 4b, 5b): per base, and for Fig. 4a per main benchmark.
    func sideCorrelationTables(_ analysis: String, links: Links) -> [HTMLTable] {
        func table(_ rows: [GroupCorrelation], _ what: String, title: String, name: (String) -> String, href: (String) -> String?) -> HTMLTable {
            HTMLTable(headers: [.init(label: what), .init(label: "Pearson r", numeric: true), .init(label: "Points", numeric: true)],
                      rows: rows.map { .init(cells: [.init(text: $0.group == "all" ? "all" : name($0.group), href: $0.group == "all" ? nil : href($0.group)),
                                                      .init(text: $0.r.map { NumberText.fixed($0, 3) } ?? "n/a", numeric: true), .init(text: String($0.n), numeric: true)]) },
                      title: title)
        }
        let base = { (id: String) in self.display(id) }, baseHref = { (id: String) -> String? in links.base(id) }
        func decode<T: Decodable>(_ t: T.Type) -> T? { analyses[AnalysisKey(analysis)].flatMap { try? JSONDecoder().decode(T.self, from: Data($0.utf8)) } }
        switch analysis {
        case "perplexity":
            guard let p = decode(PerplexityResult.self) else { return [] }
            return [table(p.correlations, "Base", title: "r(log perplexity, gain), over all cells and per base", name: base, href: baseHref),
                    table(p.byBenchmark, "Main benchmark", title: "r(log perplexity, gain on one benchmark)", name: { self.db.column(id: $0)?.displayName ?? $0 },
                          href: { links.benchmark($0) })]
                + (p.tokens.map { [table($0, "Base", title: "r(mean tokens, gain)", name: base, href: baseHref)] } ?? [])
        case "dataset-length":
            guard let l = decode(DatasetLengthResult.self) else { return [] }
            let rows = l.correlations + [GroupCorrelation(group: "the datasets' mean gains", r: l.acrossDatasets.r, n: l.acrossDatasets.n)]
            return [table(rows, "Base", title: "r(mean length in words, gain)", name: { $0.hasPrefix("the ") ? $0 : base($0) }, href: { $0.hasPrefix("the ") ? nil : baseHref($0) })]
        case "weight-change":
            guard let w = decode(WeightChangeResult.self) else { return [] }
            return [table(w.correlations, "Base", title: "r(change at the layer nearest position 0.6, gain)", name: base, href: baseHref)]
        default:
            return []
        }
    }

    /// A variant's name short enough for a column header (the caption gives it whole).
    static func shortVariant(_ v: String) -> String {
        v.hasPrefix("without the duplicated") ? "Without duplicated bases" : v.contains("collapsed") ? "Without collapsed cells" : v.hasPrefix("without both") ? "Without both" : v
    }

    /// The rows of ids already read (`comparedIDs`); a 400 for one that is not a model.
    func comparedRows(_ ids: [String]) throws -> [RunRow] {
        try ids.map { id in
            guard let i = runs.position[id] else { throw SiteError.badParameter(name: "ids", value: id, valid: ["model ids such as \(rows.first?.run.id ?? "")"]) }
            return rows[i]
        }
    }

    /// `/compare/chart.png?ids=…`: the main benchmarks, one bar per model.
    func compareChart(_ ids: [String], scale: Int) throws -> SiteResponse {
        let chosen = try comparedRows(ids)
        let main = db.columns.filter(\.isMain)
        let spec = GroupedBarSpec(title: "Main benchmarks", yLabel: "score, points on 0–100", groups: main.map(\.displayName), series: chosen.map(\.run.id),
                                  values: main.map { c in chosen.map { ($0.scores[c.id] ?? nil).map(c.onHundred) } })
        var chartStyle = style
        chartStyle.scale = scale
        return SiteResponse(contentType: "image/png", body: spec.render(chartStyle).png)
    }

    /// The compare page's chooser alone, with a notice when a comparison could not be made.
    func comparePage(links: Links, notice: String? = nil) -> SiteResponse {
        var context = ComparePage(layout: layout(links: links), heading: "Compare models", action: links.compare, catalogJSON: links.api(.catalog(script: false)),
                                  catalogJS: links.api(.catalog(script: true)), example: rows.prefix(3).map(\.run.id).joined(separator: ","))
        context.notice = notice
        return .html(templates.render("compare", context))
    }

    func compare(_ ids: [String], links: Links) throws -> SiteResponse {
        var context = ComparePage(layout: layout(links: links), heading: "Compare models", action: links.compare, catalogJSON: links.api(.catalog(script: false)),
                                  catalogJS: links.api(.catalog(script: true)), example: rows.prefix(3).map(\.run.id).joined(separator: ","))
        // Without ids (and always on a written site, where the browser script reads them) the page offers
        // the chooser only; with ids the server renders the comparison.
        guard !links.written, !ids.isEmpty else {
            return .html(templates.render("compare", context))
        }
        let chosen = try comparedRows(ids)
        let table = HTMLTable(caption: "Scores; the first model's score, then each other model's difference from it (blue higher, orange lower).",
                              headers: [.init(label: "Benchmark")] + chosen.map { .init(label: $0.run.id + ($0.run.isUser ? " (yours)" : ""), href: links.model($0.run.id), numeric: true) },
                              rows: db.columns.map { c in
                                  let first = chosen[0].scores[c.id] ?? nil
                                  return HTMLTable.Row(cells: [.init(text: c.displayName)] + chosen.enumerated().map { i, r in
                                      let v = r.scores[c.id] ?? nil
                                      if i == 0 { return .init(text: c.text(v), numeric: true) }
                                      let d = v.flatMap { a in first.map { a - $0 } }
                                      return .init(text: c.signedText(d), numeric: true, style: GainColour.style(d, limit: c.gainColourLimit))
                                  })
                              })
        let ids = chosen.map(\.run.id).joined(separator: ",")
        let chartQuery = Links.query([("ids", ids)])
        let caption = "Main benchmark scores of the compared models, one bar per model, \(Figures.pointsNote)."
        context.heading = "Compare \(chosen.count) models"
        context.ids = ids
        context.table = table.html
        context.chart = FigureContext(href: links.url(.compareChart(.png2x)) + chartQuery, png: links.url(.compareChart(.png)) + chartQuery,
                                      png2x: links.url(.compareChart(.png2x)) + chartQuery, csv: nil, alt: caption, caption: caption)
        return .html(templates.render("compare", context))
    }

    func downloadsPage(links: Links) -> SiteResponse {
        let files = downloads()
        let table = HTMLTable(headers: [.init(label: "File"), .init(label: "What"), .init(label: "Bytes", numeric: true), .init(label: "SHA-256")],
                              rows: files.map { f in
                                  HTMLTable.Row(cells: [.init(text: f.name, href: links.download(f.name)), .init(text: f.what),
                                                        .init(text: String(f.bytes.count), numeric: true), .init(text: f.sha256)])
                              })
        return generic("Downloads", intro: "The whole dataset. Every table and filtered view also has CSV and JSON twins (see the API).", tables: [table],
                       related: [("API: all models as JSON", links.api(.models(.json))), ("OpenAPI description", links.api(.openapi))], links: links)
    }

    func asset(_ file: String) throws -> SiteResponse {
        // The path is already free of "..", slashes and NUL (the server checks); only plain names are served.
        guard !file.hasPrefix("."), let data = FileManager.default.contents(atPath: publicFolder + "/" + file) else {
            throw SiteError.notFound(Route.asset(file).path)
        }
        let types = ["css": "text/css; charset=utf-8", "js": "application/javascript; charset=utf-8", "png": "image/png", "svg": "image/svg+xml", "txt": "text/plain; charset=utf-8"]
        return SiteResponse(contentType: types[(file as NSString).pathExtension] ?? "application/octet-stream", body: Array(data))
    }
}
