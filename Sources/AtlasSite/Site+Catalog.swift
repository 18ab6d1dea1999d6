import AtlasStore

/// The catalog's view: filters, sort, page and columns, read from (and written back to) a query string.
public struct CatalogView: Hashable, Sendable {
    var filter = RunFilter()
    var sort = RunSort()
    var sortParameter = ""
    var limit = 50
    var offset = 0
    var page = 1
    /// Column ids shown; the main benchmarks by default.
    var columns: [String]
    var columnsChosen = false

    /// The query pairs that reproduce this view (for permalinks and the CSV/JSON twins).
    func pairs(page: Int? = nil, includePaging: Bool = true) -> [(String, String)] {
        var out: [(String, String)] = []
        for d in FacetDimension.allCases {
            for v in filter.values[d] ?? [] { out.append((d.rawValue, v)) }
        }
        if !sortParameter.isEmpty {
            out.append(("sort", sortParameter))
            out.append(("order", sort.descending ? "desc" : "asc"))
        } else if sort.descending {
            out.append(("order", "desc")) // the canonical order, reversed
        }
        if columnsChosen { out.append(("cols", columns.joined(separator: ","))) }
        if includePaging, let page, page > 1 { out.append(("page", String(page))) }
        return out
    }
}

extension Site {
    static let facetParameters = FacetDimension.allCases.map(\.rawValue)
    /// Bounds on the paging parameters, so that `(page - 1) * 50` and `offset + limit` cannot overflow.
    static let maxPage = 1_000_000, maxLimit = 1_000_000, maxOffset = 1_000_000_000

    /// Reads the catalog view from a query; any unknown value is a 400 naming the parameter and its valid values.
    func catalogView(_ query: [(name: String, value: String)], api: Bool) throws -> CatalogView {
        var view = CatalogView(columns: db.columns.filter(\.isMain).map(\.id))
        var values: [FacetDimension: [String]] = [:]
        for (name, value) in query {
            if let d = FacetDimension(rawValue: name) {
                let valid = facetValues[d] ?? []
                guard valid.contains(value) else { throw SiteError.badParameter(name: name, value: value, valid: valid) }
                if !(values[d] ?? []).contains(value) { values[d, default: []].append(value) }
                continue
            }
            switch name {
            case "sort":
                if let c = db.columns.first(where: { $0.id == value }) {
                    view.sort.key = .score(c.id)
                } else if let d = FacetDimension(rawValue: value) {
                    view.sort.key = .dimension(d)
                } else {
                    throw SiteError.badParameter(name: "sort", value: value, valid: Self.facetParameters + db.columns.map(\.id))
                }
                view.sortParameter = value
            case "order":
                guard value == "asc" || value == "desc" else { throw SiteError.badParameter(name: "order", value: value, valid: ["asc", "desc"]) }
                view.sort.descending = value == "desc"
            case "page" where !api:
                guard let p = Int(value), (1...Self.maxPage).contains(p) else {
                    throw SiteError.badParameter(name: "page", value: value, valid: ["a whole number from 1 to \(Self.maxPage)"])
                }
                view.page = p
            case "limit" where api:
                guard let l = Int(value), (0...Self.maxLimit).contains(l) else {
                    throw SiteError.badParameter(name: "limit", value: value, valid: ["a whole number from 0 to \(Self.maxLimit)"])
                }
                view.limit = l
            case "offset" where api:
                guard let o = Int(value), (0...Self.maxOffset).contains(o) else {
                    throw SiteError.badParameter(name: "offset", value: value, valid: ["a whole number from 0 to \(Self.maxOffset)"])
                }
                view.offset = o
            case "cols", "col":
                if !view.columnsChosen { view.columns = [] }
                view.columnsChosen = true
                for id in value.split(separator: ",").map(String.init) where !id.isEmpty {
                    guard db.columns.contains(where: { $0.id == id }) else {
                        throw SiteError.badParameter(name: name, value: id, valid: db.columns.map(\.id))
                    }
                    if !view.columns.contains(id) { view.columns.append(id) }
                }
            default:
                let valid = Self.facetParameters + (api ? ["sort", "order", "limit", "offset", "cols"] : ["sort", "order", "page", "cols"])
                throw SiteError.badParameter(name: name, value: value, valid: valid.map { "\($0)=…" })
            }
        }
        // A facet's values are ORed: kept in the facet's own order, so that any order of them is one view.
        for (d, chosen) in values {
            let order = Dictionary(uniqueKeysWithValues: (facetValues[d] ?? []).enumerated().map { ($1, $0) })
            values[d] = chosen.sorted { order[$0, default: 0] < order[$1, default: 0] }
        }
        view.filter = RunFilter(values)
        if api {
            if !query.contains(where: { $0.name == "limit" }) { view.limit = Int.max }
        } else {
            view.offset = (view.page - 1) * view.limit
        }
        return view
    }

    func catalog(_ view: CatalogView, links: Links) throws -> SiteResponse {
        var view = view
        // A written site has no server to page through the catalog: its page holds every run (the
        // browser script then filters, sorts and pages it).
        let written = links.written
        if written { (view.limit, view.offset, view.page) = (Int.max, 0, 1) }
        let (result, facets) = try withDatabase { db in
            (try db.runs(view.filter, sort: view.sort, limit: view.limit, offset: view.offset, columnIDs: view.columns), try db.facets(view.filter))
        }
        let pages = written ? 1 : max(1, (result.total + view.limit - 1) / view.limit)
        let columns = view.columns.compactMap { db.column(id: $0) }
        let here = links.models
        var headers: [HTMLTable.Header] = [.init(label: "Model"), .init(label: "Base"), .init(label: "Dataset"), .init(label: "Method"),
                                           .init(label: "Samples", numeric: true), .init(label: "Schedule"), .init(label: "Epochs", numeric: true)]
        for c in columns {
            let descending = !(view.sortParameter == c.id && view.sort.descending)
            var sorted = view
            sorted.sortParameter = c.id
            sorted.sort = RunSort(.score(c.id), descending: descending)
            headers.append(.init(label: c.displayName + (view.sortParameter == c.id ? (view.sort.descending ? " ↓" : " ↑") : ""),
                                 href: here + Links.query(sorted.pairs(includePaging: false)), numeric: true))
        }
        let rows = result.rows.map { row -> HTMLTable.Row in
            let k = row.run.key
            var cells: [HTMLTable.Cell] = [
                .init(text: row.run.id, href: links.model(row.run.id)), .init(text: display(k.baseID), href: links.base(k.baseID)),
                .init(text: displayDataset(k.datasetID), href: k.datasetID.map { links.dataset($0) }), .init(text: k.method?.displayName ?? "—"),
                .init(text: k.isBase ? "—" : RunKey.samplesLabel(k.samples), numeric: true), .init(text: k.schedule?.rawValue ?? "—"),
                .init(text: k.isBase ? "—" : String(k.epochs), numeric: true),
            ]
            for c in columns {
                let v = row.scores[c.id] ?? nil
                cells.append(.init(text: v.map { NumberText.fixed($0, 1) } ?? "n/a", numeric: true))
            }
            return HTMLTable.Row(cells: cells)
        }
        // The form's controls are written here rather than through Mustache sections: their lookups were
        // about 60% of an uncached catalog view's time.
        let form = CatalogForm(facets: facets.map { f in
            (f.dimension.displayName, f.values.map { v in (f.dimension.rawValue, v.value, facetText(f.dimension, v.value), v.count, v.selected) })
        }, sortOptions: [("", "canonical order", view.sortParameter.isEmpty)]
            + FacetDimension.allCases.map { ($0.rawValue, $0.displayName, view.sortParameter == $0.rawValue) }
            + db.columns.map { ($0.id, $0.displayName, view.sortParameter == $0.id) },
           columns: db.columns.map { ($0.id, $0.displayName, view.columns.contains($0.id)) })
        let pairs = view.pairs(page: view.page)
        // The view's every matching row, not its page: without limit and offset the API answers them all,
        // as the written site's exports do.
        let apiPairs = written ? [] : view.pairs(includePaging: false)
        let csv = links.api(.models(.csv)) + Links.query(apiPairs), json = links.api(.models(.json)) + Links.query(apiPairs)
        let context = CatalogPage(
            layout: layout(alternates: [("application/json", json), ("text/csv", csv)], links: links),
            total: result.total, allCount: self.rows.count, form: form, descending: view.sort.descending, action: here,
            table: HTMLTable(caption: "Scores; n/a where the release has no value.", headers: headers, rows: rows).html,
            page: view.page, pages: pages,
            previous: view.page > 1 ? here + Links.query(view.pairs(page: view.page - 1)) : nil,
            next: view.page < pages ? here + Links.query(view.pairs(page: view.page + 1)) : nil,
            permalink: here + Links.query(pairs), catalogJSON: links.api(.catalog(script: false)), catalogJS: links.api(.catalog(script: true)),
            compareHref: links.compare, csv: csv, json: json)
        return .html(templates.render("catalog", context), headers: [("Link", "<\(json)>; rel=\"alternate\"; type=\"application/json\", <\(csv)>; rel=\"alternate\"; type=\"text/csv\"")])
    }

    func facetText(_ d: FacetDimension, _ value: String) -> String {
        if value == RunFilter.noneValue { return "none (base model)" }
        switch d {
        case .base: return display(value)
        case .dataset: return displayDataset(value)
        case .method: return Method(rawValue: value)?.displayName ?? value
        case .samples: return Int(value).map(RunKey.samplesLabel) ?? value
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
        }
    }
}
