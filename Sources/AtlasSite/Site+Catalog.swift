import AtlasAnalysis
import AtlasStore

extension Site {
    /// The catalog page: the form, one page of the view's table, paging and exports. A written site's page
    /// holds the first 50 runs in canonical order; its script then reads the query and draws the view.
    func catalog(_ view: CatalogView, links: Links) throws -> SiteResponse {
        var view = view
        let written = links.written
        if written {
            view = CatalogView(page: view.page, columns: view.columns)
            view.offset = (view.page - 1) * view.limit
        }
        let result = catalogIndex.query(view, limit: view.limit, offset: view.offset)
        let pages = max(1, (result.total + view.limit - 1) / view.limit)
        // A page past the last is no page (the API's offset past the end is an empty list, as is usual there).
        if view.page > pages { throw SiteError.badParameter(name: "page", value: String(view.page), valid: ["a whole number from 1 to \(pages) (this view's pages)"]) }
        let here = links.models
        let table = catalogTable(view, positions: result.positions, links: links)
        let form = catalogForm(view, facets: result.facets, audit: result.audit)
        let pairs = view.pairs(page: view.page)
        // The view's every matching row, not its page: without limit and offset the API answers them all,
        // as the written site's exports do.
        let apiPairs = written ? [] : view.pairs(includePaging: false)
        let csv = links.api(.models(.csv)) + Links.query(apiPairs), json = links.api(.models(.json)) + Links.query(apiPairs)
        let context = CatalogPage(
            layout: layout(alternates: [("application/json", json), ("text/csv", csv)], links: links),
            total: result.total, allCount: self.rows.count, form: form, action: here, table: table.html,
            page: view.page, pages: pages,
            // A written site pages without a script through /models/page/<n>/; its script pages by ?page=.
            pageLinks: written ? (1...pages).map { n in (n, n == 1 ? here : links.url(.catalogPage(n)), n == view.page) } : [],
            previous: view.page > 1 ? here + Links.query(view.pairs(page: view.page - 1)) : nil,
            next: view.page < pages ? here + Links.query(view.pairs(page: view.page + 1)) : nil,
            permalink: here + Links.query(pairs), catalogJSON: links.api(.catalog(script: false)), catalogJS: links.api(.catalog(script: true)),
            compareHref: links.compare, csv: csv, json: json,
            explore: links.url(.explore) + Links.query(view.pairs(includePaging: false).filter { $0.0 != "sort" && $0.0 != "order" }))
        return .html(templates.render("catalog", context), headers: [("Link", "<\(json)>; rel=\"alternate\"; type=\"application/json\", <\(csv)>; rel=\"alternate\"; type=\"text/csv\"")])
    }

    /// The shown columns in display order: the one sorted by first, then the average, then the rest.
    func displayColumns(_ view: CatalogView) -> [String] {
        var ids = [CatalogView.average] + view.columns
        if case .column(let id) = view.sort.key, let i = ids.firstIndex(of: id) { ids.insert(ids.remove(at: i), at: 0) }
        return ids
    }

    func catalogTable(_ view: CatalogView, positions: [Int], links: Links) -> CatalogTable {
        let ids = displayColumns(view)
        let shown = view.columns.compactMap { catalogIndex.columnPosition[$0] }
        let columns = ids.map { id -> CatalogTable.Column in
            var sorted = view
            sorted.sort = .init(key: id == CatalogView.average ? .average : .column(id),
                                descending: !(view.sort.parameter == id && view.sort.descending))
            sorted.page = 1
            let column = db.column(id: id)
            return CatalogTable.Column(
                label: column?.displayName ?? "Average", href: links.models + Links.query(sorted.pairs(includePaging: false)),
                sorted: view.sort.parameter == id ? (view.sort.descending ? "descending" : "ascending") : nil,
                title: column.map { "\($0.benchmarkName); \($0.unit.rawValue)" } ?? "Average: " + ScoreColumn.normalizationNote)
        }
        let rows = positions.map { i -> CatalogTable.Row in
            let r = catalogIndex.rows[i], k = r.run.key
            let badges = (r.run.isUser ? ["yours"] : []) + (k.isBase ? ["base model"]
                : [k.method?.displayName ?? "", RunKey.samplesLabel(k.samples), k.schedule?.rawValue ?? "", "\(k.epochs) ep"])
            let cells = ids.map { id -> (String, String?) in
                if id == CatalogView.average {
                    let v = catalogIndex.average(i, shown, gain: view.gain)
                    return (view.gain ? (v.map { NumberText.signed($0, 1) } ?? "n/a") : (v.map { NumberText.fixed($0, 1) } ?? "n/a"),
                            view.gain ? GainColour.style(v, limit: 20) : nil)
                }
                guard let c = catalogIndex.columnPosition[id] else { return ("n/a", nil) }
                let column = catalogIndex.columns[c], v = catalogIndex.value(i, c, gain: view.gain)
                return view.gain ? (column.signedText(v), GainColour.style(v, limit: column.gainColourLimit)) : (column.text(v), nil)
            }
            return CatalogTable.Row(id: r.run.id, href: links.model(r.run.id), badges: badges, cells: cells)
        }
        let what = view.gain ? "Gain over each run's base model, in each column's unit (blue above the base, orange below)" : "Scores in each column's unit"
        return CatalogTable(caption: what + "; n/a where there is no value (a base model has no gain). Average: percentages as they are, ratings ×10, fractions ×100.",
                            columns: columns, rows: rows, compareForm: "compare-form")
    }

    func catalogForm(_ view: CatalogView, facets: [Facet], audit: CatalogIndex.AuditCounts) -> CatalogForm {
        let rangeStems = [CatalogView.average] + view.columns
        var ranges: [(stem: String, label: String, min: String, max: String)] = []
        for stem in rangeStems {
            func given(_ op: CatalogView.Bound.Op) -> String {
                view.bounds.first { $0.column == stem && $0.op == op }.map { NumberText.plain($0.value) } ?? ""
            }
            ranges.append((stem, db.column(id: stem)?.displayName ?? "Average", given(.gte), given(.lte)))
        }
        let hidden = view.bounds.filter { b in !((b.op == .gte || b.op == .lte) && rangeStems.contains(b.column)) }
            .map { (name: $0.parameter, value: NumberText.plain($0.value)) }
        return CatalogForm(
            search: view.search, gain: view.gain, flagged: view.flagged, findingKinds: view.findingKinds,
            audited: analyses.audit != nil, auditCounts: audit,
            kinds: AuditResult.Kind.allCases.filter { $0 != .planGap }.map { ($0.rawValue, Self.qualityKindTitles[$0] ?? $0.rawValue) },
            facets: facets.map { f in
                (f.dimension.displayName, f.values.map { v in (f.dimension.rawValue, v.value, facetText(f.dimension, v.value), v.count, v.selected) })
            },
            ranges: ranges, hidden: hidden,
            sortOptions: [("", "canonical order", view.sort.key == .canonical), (CatalogView.average, "Average", view.sort.key == .average)]
                + FacetDimension.allCases.map { ($0.rawValue, $0.displayName, view.sort.key == .dimension($0)) }
                + db.columns.map { ($0.id, $0.displayName, view.sort.key == .column($0.id)) },
            descending: view.sort.descending,
            columns: db.columns.map { ($0.id, $0.displayName, view.columns.contains($0.id)) })
    }

    func facetText(_ d: FacetDimension, _ value: String) -> String {
        if value == RunFilter.noneValue { return "none (base model)" }
        switch d {
        case .base: return display(value)
        case .dataset: return displayDataset(value)
        case .method: return Method(rawValue: value)?.displayName ?? value
        case .samples: return Int(value).map(RunKey.samplesLabel) ?? value
        case .source: return value == FacetDimension.releaseSource ? "the release" : value + " (yours)"
        default: return value
        }
    }
}

extension FacetDimension {
    var displayName: String {
        switch self {
        case .base: return "Base model"
        case .dataset: return "Dataset"
        case .method: return "Method"
        case .epochs: return "Epochs"
        case .samples: return "Samples"
        case .schedule: return "Schedule"
        case .source: return "Source"
        }
    }
}
