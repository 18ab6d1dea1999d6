import Foundation

/// One document of the site that needs no query string: what a static build writes.
public struct SitePath: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// HTML pages.
        case page
        /// PNG charts and the CSV of their numbers.
        case chart
        /// API documents and the downloads.
        case data
        /// Files from `Public/`.
        case asset

        /// How a build's progress names the kind.
        public var label: String {
            switch self {
            case .page: return "pages"
            case .chart: return "charts"
            case .data: return "API documents and downloads"
            case .asset: return "assets"
            }
        }
    }

    public var path: String
    public var kind: Kind
}

extension Site {
    /// Every document of the site that does not depend on a query string, in a fixed order. The static
    /// build writes exactly these; the server answers each of them (and the query-dependent views too).
    public func paths() -> [SitePath] {
        var out: [SitePath] = []
        func add(_ kind: SitePath.Kind, _ paths: [String]) { out += paths.map { SitePath(path: $0, kind: kind) } }
        let seg = Links.segment
        add(.page, ["/", "/models/", "/compare/", "/bases/", "/datasets/", "/benchmarks/", "/figures/", "/claims/", "/downloads/"])
        add(.page, rows.map { "/models/\(seg($0.run.id))/" })
        add(.page, db.bases.map { "/bases/\(seg($0.id))/" })
        add(.page, db.datasets.map { "/datasets/\(seg($0.id))/" })
        add(.page, db.columns.map { "/benchmarks/\(seg($0.id))/" })
        add(.page, figureEntries.map { "/figures/\(seg($0.name))/" })

        let chartFiles = { (folder: String, stem: String) in ["\(folder)\(stem).png", "\(folder)\(stem)@2x.png", "\(folder)\(stem).csv"] }
        for e in figureEntries { add(.chart, chartFiles("/figures/", seg(e.name))) }
        // One epoch chart per group of siblings, under the first sibling (the one model pages link to).
        var charted = Set<String>()
        for r in rows {
            let siblings = epochSiblings(of: r.run)
            guard siblings.count >= 2, let first = siblings.first?.run.id, charted.insert(first).inserted else { continue }
            add(.chart, chartFiles("/models/\(seg(first))/", "epochs"))
        }
        for d in db.datasets where datasetChart(d.id) != nil { add(.chart, chartFiles("/datasets/\(seg(d.id))/", "chart")) }
        for c in db.columns where benchmarkChart(c.id) != nil { add(.chart, chartFiles("/benchmarks/\(seg(c.id))/", "chart")) }

        add(.data, ["/api/v1/models.json", "/api/v1/models.csv", "/api/v1/catalog.json", "/api/v1/catalog.js",
                    "/api/v1/bases.json", "/api/v1/bases.csv", "/api/v1/datasets.json", "/api/v1/datasets.csv",
                    "/api/v1/benchmarks.json", "/api/v1/benchmarks.csv", "/api/v1/openapi.json"])
        add(.data, rows.map { "/api/v1/models/\(seg($0.run.id)).json" })
        add(.data, analysisDocuments.keys.sorted().map { key in
            let parts = key.split(separator: "?", maxSplits: 1).map(String.init)
            return "/api/v1/analysis/\(seg(parts[0]))" + (parts.count == 2 ? "/\(seg(parts[1]))" : "") + ".json"
        })
        // Named, not built: building them (about 0.4 s) belongs to whoever fetches them.
        add(.data, Self.downloadNames.map { "/downloads/\($0)" })
        let assets = (try? FileManager.default.contentsOfDirectory(atPath: publicFolder)) ?? []
        add(.asset, assets.filter { !$0.hasPrefix(".") }.sorted().map { "/public/\(seg($0))" })
        return out
    }
}
