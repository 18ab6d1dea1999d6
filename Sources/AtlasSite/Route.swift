import AtlasDomain

/// One document of the site, as a value. The router reads a request's path as a route, every link is made
/// from one (`Links.url`), and the static build writes the list of query-free routes (`Site.routes()`), so
/// the three cannot disagree. Query parameters are not part of it: the pages that take them read them.
///
/// Ids are held decoded; `path` percent-encodes each segment (`Links.segment`), and `parse` reads the
/// decoded path the server hands over, so `parse(route.decodedPath) == route` for every route.
public enum Route: Hashable, Sendable {
    case home
    /// `/models/`, the catalog (takes the catalog's query).
    case catalog
    /// `/models/page/<n>/`: page n (from 2) of the unfiltered catalog, so a written site's catalog can be
    /// paged without a script.
    case catalogPage(Int)
    case model(String)
    /// A model's epoch chart: `/models/<id>/epochs.png`, `@2x.png`, `.csv`.
    case modelChart(String, ChartFile)
    case bases, base(String)
    case datasets, dataset(String)
    case benchmarks, benchmark(String)
    /// A dataset's or benchmark's chart: `/datasets/<id>/chart.png` and so on.
    case pageChart(PageChartKind, String, ChartFile)
    case figures, figure(String)
    /// `/figures/<name>.png`, `<name>@2x.png`, `<name>.csv`.
    case figureFile(String, ChartFile)
    case claims
    /// `/quality/`: the faults the audit found in the data.
    case quality
    /// `/quality/<kind>/` (page 1) and `/quality/<kind>/page/<n>/`: every finding of one kind,
    /// `Site.findingsPerPage` to a page.
    case qualityKind(String, Int)
    case downloads, download(String)
    /// `/compare/` (takes `ids`), and its chart (`chart.png`, `chart@2x.png`, taking `ids` too).
    case compare, compareChart(ChartFile)
    /// `/explore/`, the scatter explorer (takes `x`, `y`, `color` and the catalog's filters), and its chart
    /// (`chart.png`, `chart@2x.png`, `chart.csv`, taking the same).
    case explore, exploreChart(ChartFile)
    /// A file of `Public/`: `/public/<file>`.
    case asset(String)
    case robots
    /// `/favicon.ico`: the icon as PNG data, for browsers that ask for it by that name.
    case favicon
    case api(API)

    public enum ChartFile: String, Hashable, Sendable, CaseIterable {
        case png = ".png", png2x = "@2x.png", csv = ".csv"
        /// The device scale of a PNG (1 or 2); nil for the CSV.
        public var scale: Int? { self == .png ? 1 : self == .png2x ? 2 : nil }
        /// `stem` and the file's ending: `epochs@2x.png`.
        func name(_ stem: String) -> String { stem + rawValue }
        /// `gain-matrix-full@2x.png` → ("gain-matrix-full", .png2x); nil for another ending or an empty stem.
        static func split(_ file: String) -> (stem: String, file: ChartFile)? {
            for f in [ChartFile.png2x, .png, .csv] where file.hasSuffix(f.rawValue) && file.count > f.rawValue.count {
                return (String(file.dropLast(f.rawValue.count)), f)
            }
            return nil
        }
    }

    public enum PageChartKind: String, Hashable, Sendable, CaseIterable {
        case datasets, benchmarks
    }

    /// The documents under `/api/v1/`.
    public enum API: Hashable, Sendable {
        public enum Format: String, Hashable, Sendable, CaseIterable { case json, csv }
        public enum Registry: String, Hashable, Sendable, CaseIterable { case bases, datasets, benchmarks }
        /// `models.json` / `models.csv` (take the catalog's query, with `limit` and `offset`).
        case models(Format)
        /// `models/<id>.json`.
        case model(String)
        case registry(Registry, Format)
        case openapi
        /// `quality.json` and `quality.csv`: the audit's findings.
        case quality(Format)
        /// `catalog.json`, or `catalog.js` (`script`), which wraps it for a site opened from `file://`.
        case catalog(script: Bool)
        /// `analysis/<name>.json` (takes `method` for the per-method analyses).
        case analysis(String)
        /// `analysis/<name>/<method>.json`, the path form a static site has.
        case analysisByMethod(String, Method)
    }

    /// Whether the document reads a query string; every other one refuses any (400).
    public var takesQuery: Bool {
        switch self {
        case .catalog, .compare, .compareChart, .explore, .exploreChart, .api(.models), .api(.analysis): return true
        default: return false
        }
    }

    /// Whether the route is a folder (its path ends in "/"; a written site puts it in an `index.html`).
    public var isFolder: Bool { folder }

    /// The path from the root, each segment percent-encoded: `/models/qwen2.5-7b.base/`.
    public var path: String {
        "/" + segments.map(Links.segment).joined(separator: "/") + (folder && !segments.isEmpty ? "/" : "")
    }

    /// The path with its segments as they are (what the server decodes a request's path to).
    public var decodedPath: String {
        "/" + segments.joined(separator: "/") + (folder && !segments.isEmpty ? "/" : "")
    }

    /// The path's segments, decoded, and whether it ends in "/".
    private var parts: (segments: [String], folder: Bool) {
        switch self {
        case .home: return ([], true)
        case .catalog: return (["models"], true)
        case .catalogPage(let n): return (["models", "page", String(n)], true)
        case .model(let id): return (["models", id], true)
        case .modelChart(let id, let f): return (["models", id, f.name("epochs")], false)
        case .bases: return (["bases"], true)
        case .base(let id): return (["bases", id], true)
        case .datasets: return (["datasets"], true)
        case .dataset(let id): return (["datasets", id], true)
        case .benchmarks: return (["benchmarks"], true)
        case .benchmark(let id): return (["benchmarks", id], true)
        case .pageChart(let kind, let id, let f): return ([kind.rawValue, id, f.name("chart")], false)
        case .figures: return (["figures"], true)
        case .figure(let name): return (["figures", name], true)
        case .figureFile(let name, let f): return (["figures", f.name(name)], false)
        case .claims: return (["claims"], true)
        case .quality: return (["quality"], true)
        case .qualityKind(let kind, let n): return (n == 1 ? ["quality", kind] : ["quality", kind, "page", String(n)], true)
        case .downloads: return (["downloads"], true)
        case .download(let name): return (["downloads", name], false)
        case .compare: return (["compare"], true)
        case .compareChart(let f): return (["compare", f.name("chart")], false)
        case .explore: return (["explore"], true)
        case .exploreChart(let f): return (["explore", f.name("chart")], false)
        case .asset(let file): return (["public", file], false)
        case .robots: return (["robots.txt"], false)
        case .favicon: return (["favicon.ico"], false)
        case .api(let api):
            let v1 = ["api", "v1"]
            switch api {
            case .models(let format): return (v1 + ["models.\(format.rawValue)"], false)
            case .model(let id): return (v1 + ["models", id + ".json"], false)
            case .registry(let r, let format): return (v1 + ["\(r.rawValue).\(format.rawValue)"], false)
            case .openapi: return (v1 + ["openapi.json"], false)
            case .quality(let format): return (v1 + ["quality.\(format.rawValue)"], false)
            case .catalog(let script): return (v1 + [script ? "catalog.js" : "catalog.json"], false)
            case .analysis(let name): return (v1 + ["analysis", name + ".json"], false)
            case .analysisByMethod(let name, let m): return (v1 + ["analysis", name, m.rawValue + ".json"], false)
            }
        }
    }

    private var segments: [String] { parts.segments }
    private var folder: Bool { parts.folder }
}
