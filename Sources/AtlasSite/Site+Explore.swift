import AtlasCharts
import AtlasStore

extension Site {
    /// The points of an explorer view: every matching run with a value on both axes, in canonical order.
    struct ExplorePoints {
        var positions: [Int]
        var x: [Double]
        var y: [Double]
        /// Per point, its index into `categories` (the colour facet's values present, in display order).
        var category: [Int]
        var categories: [String]
        /// Matching runs, plotted or not.
        var matching: Int
    }

    func explorePoints(_ view: ExploreView) -> ExplorePoints {
        let index = catalogIndex
        let shown = view.catalog.columns.compactMap { index.columnPosition[$0] }
        func value(_ i: Int, _ axis: String) -> Double? {
            axis == CatalogView.average ? index.average(i, shown, gain: view.catalog.gain)
                : index.columnPosition[axis].flatMap { index.value(i, $0, gain: view.catalog.gain) }
        }
        let result = index.query(view.catalog, limit: Int.max, offset: 0)
        var points = ExplorePoints(positions: [], x: [], y: [], category: [], categories: [], matching: result.total)
        var codes: [String] = []
        for i in result.positions.sorted() {
            guard let x = value(i, view.x), let y = value(i, view.y) else { continue }
            points.positions.append(i)
            points.x.append(x)
            points.y.append(y)
            codes.append(index.facetCodes[view.color]?[i] ?? RunFilter.noneValue)
        }
        let present = Set(codes)
        let ordered = (facetValues[view.color] ?? []).filter { present.contains($0) }
        let slot = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
        points.categories = ordered.map { facetText(view.color, $0) }
        points.category = codes.map { slot[$0] ?? 0 }
        return points
    }

    func axisName(_ axis: String, gain: Bool) -> String {
        let name = db.column(id: axis)?.displayName ?? "Average (0–100)"
        return gain ? name + ", gain" : name
    }

    func exploreSpec(_ view: ExploreView, _ points: ExplorePoints) -> ScatterSpec {
        let (xName, yName) = (axisName(view.x, gain: view.catalog.gain), axisName(view.y, gain: view.catalog.gain))
        return ScatterSpec(title: "\(yName) against \(xName)", xLabel: xName, yLabel: yName, x: points.x, y: points.y,
                           category: points.category, categories: points.categories)
    }

    /// `/explore/chart.png` (and `@2x`): the scatter; `/explore/chart.csv`: one row per plotted model.
    func exploreChart(_ view: ExploreView, file: Route.ChartFile) -> SiteResponse {
        let points = explorePoints(view)
        guard let scale = file.scale else {
            let rows = points.positions.enumerated().map { k, i -> [CSVTable.Cell] in
                [.text(catalogIndex.rows[i].run.id), .number(points.x[k]), .number(points.y[k]), .text(points.categories[points.category[k]])]
            }
            return .csv(CSVTable.render(header: ["id", view.x, view.y, view.color.rawValue], rows: rows), filename: "explore.csv")
        }
        var chartStyle = style
        chartStyle.scale = scale
        return SiteResponse(contentType: "image/png", body: exploreSpec(view, points).render(chartStyle).png)
    }

    /// `/explore/`: the form, the chart with an image map that names and links every point, and the CSV.
    func explorePage(_ view: ExploreView, links: Links) -> SiteResponse {
        let points = explorePoints(view)
        let spec = exploreSpec(view, points)
        var areas = ""
        for (k, p) in spec.positions(style).enumerated() {
            // A damaged database can hold values that no axis maps to a pixel: such a point gets no area.
            guard let p, p.x.isFinite, p.y.isFinite, abs(p.x) < 1e6, abs(p.y) < 1e6 else { continue }
            let id = catalogIndex.rows[points.positions[k]].run.id
            // Out of the tab order: a thousand stops would trap a keyboard; the CSV and the catalog link list every point.
            areas += "<area shape=\"circle\" tabindex=\"-1\" coords=\"\(Int(p.x.rounded())),\(Int(p.y.rounded())),5\" href=\""
            HTMLTable.escape(links.model(id), into: &areas)
            areas += "\" alt=\""
            HTMLTable.escape(id, into: &areas)
            areas += "\" title=\""
            HTMLTable.escape("\(id): \(NumberText.plain(NumberText.tidy(points.x[k]))), \(NumberText.plain(NumberText.tidy(points.y[k])))", into: &areas)
            areas += "\">"
        }
        let query = Links.query(view.pairs)
        let axes = [(CatalogView.average, "Average (0–100)")] + db.columns.map { ($0.id, $0.displayName) }
        let hidden = view.catalog.pairs(includePaging: false).filter { $0.0 != "q" && $0.0 != "view" }
        let context = ExplorePage(
            layout: layout(alternates: [("text/csv", links.url(.exploreChart(.csv)) + query)], links: links),
            action: links.url(.explore), search: view.catalog.search, gain: view.catalog.gain,
            xOptions: axes.map { ($0.0, $0.1, $0.0 == view.x) }, yOptions: axes.map { ($0.0, $0.1, $0.0 == view.y) },
            colorOptions: FacetDimension.allCases.map { ($0.rawValue, $0.displayName, $0 == view.color) },
            hidden: hidden, plotted: points.positions.count, matching: points.matching, all: rows.count,
            png: links.url(.exploreChart(.png)) + query, png2x: links.url(.exploreChart(.png2x)) + query, csv: links.url(.exploreChart(.csv)) + query,
            alt: "Scatter plot of \(points.positions.count) model\(points.positions.count == 1 ? "" : "s"): \(spec.yLabel) against \(spec.xLabel), coloured by \(view.color.displayName.lowercased()).",
            areas: areas, catalog: links.models + Links.query(view.catalog.pairs(includePaging: false)),
            catalogJSON: links.api(.catalog(script: false)), catalogJS: links.api(.catalog(script: true)))
        return .html(templates.render("explore", context))
    }
}
