import AtlasAnalysis
import AtlasDomain
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
    /// Every document of the site that does not depend on a query string, in a fixed order, with its kind.
    /// The static build writes exactly these; the server answers each of them (and the query views too).
    public func routes() -> [(route: Route, kind: SitePath.Kind)] {
        var out: [(Route, SitePath.Kind)] = []
        func add(_ kind: SitePath.Kind, _ routes: [Route]) { out += routes.map { ($0, kind) } }
        add(.page, [.home, .catalog, .compare, .explore, .bases, .datasets, .benchmarks, .figures, .claims, .quality, .downloads])
        add(.page, (2..<max(2, (rows.count + 49) / 50 + 1)).map { .catalogPage($0) })
        add(.page, rows.map { .model($0.run.id) })
        add(.page, db.bases.map { .base($0.id) })
        add(.page, db.datasets.map { .dataset($0.id) })
        add(.page, db.columns.map { .benchmark($0.id) })
        add(.page, figures.entries.map { .figure($0.name) })
        if let audit = analyses.audit {
            for kind in AuditResult.Kind.allCases {
                add(.page, (0..<Self.pages(audit.count(kind), of: Self.findingsPerPage)).map { .qualityKind(kind.rawValue, $0 + 1) })
            }
        }

        let files: [Route.ChartFile] = [.png, .png2x, .csv]
        for e in figures.entries { add(.chart, files.map { .figureFile(e.name, $0) }) }
        // One epoch chart per group of siblings, under the first sibling (the one model pages link to).
        var charted = Set<String>()
        for r in rows {
            let siblings = epochSiblings(of: r.run)
            guard siblings.count >= 2, let first = siblings.first?.run.id, charted.insert(first).inserted else { continue }
            add(.chart, files.map { .modelChart(first, $0) })
        }
        // The explorer's default chart: what its written page shows without a script.
        add(.chart, files.map { .exploreChart($0) })
        for d in db.datasets where datasetChart(d.id) != nil { add(.chart, files.map { .pageChart(.datasets, d.id, $0) }) }
        for c in db.columns where benchmarkChart(c.id) != nil { add(.chart, files.map { .pageChart(.benchmarks, c.id, $0) }) }

        add(.data, [.api(.models(.json)), .api(.models(.csv)), .api(.catalog(script: false)), .api(.catalog(script: true)),
                    .api(.registry(.bases, .json)), .api(.registry(.bases, .csv)), .api(.registry(.datasets, .json)),
                    .api(.registry(.datasets, .csv)), .api(.registry(.benchmarks, .json)), .api(.registry(.benchmarks, .csv)), .api(.openapi),
                    .api(.quality(.json)), .api(.quality(.csv))])
        add(.data, rows.map { .api(.model($0.run.id)) })
        add(.data, analyses.text.keys.sorted().map(\.route))
        // Named, not built: building them (about 0.4 s) belongs to whoever fetches them.
        add(.data, Self.downloadNames.map { .download($0) })
        let assets = (try? FileManager.default.contentsOfDirectory(atPath: publicFolder)) ?? []
        add(.asset, assets.filter { !$0.hasPrefix(".") }.sorted().map { .asset($0) } + [.favicon])
        return out
    }

    /// `routes()` as the paths a static build writes.
    public func paths() -> [SitePath] {
        routes().map { SitePath(path: $0.route.path, kind: $0.kind) }
    }
}
