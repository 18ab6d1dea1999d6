import AtlasAnalysis
import AtlasCharts
import AtlasStore
import Foundation

/// The web site: every page, chart, CSV and JSON document, answered from one path and query.
///
/// The server and the static builder both call `respond(path:query:)`; they differ only in how the
/// bytes leave the process. Everything but the catalog's query results is derived from data loaded at
/// start-up, so answers are fast and thread-safe (the database itself is used under a lock).
public final class Site: @unchecked Sendable {
    let db: AtlasDatabase
    private let dbLock = NSLock()
    let templates: TemplateSet
    let publicFolder: String
    let style: ChartStyle
    /// The links of the document being rendered (root-based when served, relative when written).
    var links: Links { Links.current }
    let synthetic: Bool
    let provenance: [Provenance]
    let hyperparameters: [GridHyperparameters]
    /// Every run with every score, in canonical order.
    let rows: [RunRow]
    let rowIndex: [String: Int]
    let figureEntries: [Figures.Entry]
    let figureIndex: [String: Int]
    /// Stored analysis documents by "name" or "name?method".
    let analysisDocuments: [String: String]
    let claims: ClaimsResult?
    /// Each analysis document's "definition" text, by the same keys.
    let analysisDefinitions: [String: String]
    /// Row positions of runs that differ only in epochs, by epoch, keyed by `Site.siblingKey`.
    let siblingGroups: [String: [Int]]
    /// Each base model's own scores, by column id.
    let baseScores: [String: [String: Double?]]
    /// Per base model and column, the fine-tuned runs' values in ascending order (for ranks).
    let tunedValues: [String: [String: [Double]]]
    /// Each facet's values with no filter applied: the valid values of the catalog's filter parameters.
    let facetValues: [FacetDimension: [String]]
    /// The three downloads, built on first use (they take ~0.3 s for the release) and kept.
    private var downloadCache: [DownloadFile]?
    private let downloadLock = NSLock()
    public static let version = "0.1.0"

    public init(db: AtlasDatabase, assets: Assets, style: ChartStyle) throws {
        self.db = db
        templates = try TemplateSet(folder: assets.templates)
        publicFolder = assets.publicFolder
        self.style = style
        provenance = try db.provenance()
        synthetic = provenance.contains { $0.synthetic }
        hyperparameters = try db.hyperparameters()
        rows = try db.runs(RunFilter(), limit: Int.max).rows
        rowIndex = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.run.id, $0) })
        figureEntries = try Figures(db: db, style: style).entries()
        figureIndex = Dictionary(uniqueKeysWithValues: figureEntries.enumerated().map { ($1.name, $0) })
        var documents: [String: String] = [:]
        for (name, method) in try db.analyses() {
            documents[method.map { "\(name)?\($0)" } ?? name] = try db.analysis(name, method: method)
        }
        analysisDocuments = documents
        facetValues = Dictionary(uniqueKeysWithValues: try db.facets(RunFilter()).map { ($0.dimension, $0.values.map(\.value)) })
        claims = try documents["claims"].map { try JSONDecoder().decode(ClaimsResult.self, from: Data($0.utf8)) }
        analysisDefinitions = documents.compactMapValues { doc in
            (try? JSONSerialization.jsonObject(with: Data(doc.utf8)) as? [String: Any])?["definition"] as? String
        }
        var groups: [String: [Int]] = [:]
        for (i, r) in rows.enumerated() where !r.run.key.isBase { groups[Self.siblingKey(r.run.key), default: []].append(i) }
        let allRows = rows
        siblingGroups = groups.mapValues { $0.sorted { allRows[$0].run.key.epochs < allRows[$1].run.key.epochs } }
        baseScores = Dictionary(rows.filter(\.run.key.isBase).map { ($0.run.key.baseID, $0.scores) }, uniquingKeysWith: { a, _ in a })
        var values: [String: [String: [Double]]] = [:]
        for r in rows where !r.run.key.isBase {
            for c in db.columns { if let v = r.scores[c.id] ?? nil { values[r.run.key.baseID, default: [:]][c.id, default: []].append(v) } }
        }
        tunedValues = values.mapValues { $0.mapValues { $0.sorted() } }
    }

    /// What runs that differ only in epochs share.
    static func siblingKey(_ k: RunKey) -> String {
        "\(k.baseID)|\(k.datasetID ?? "")|\(k.method?.rawValue ?? "")|\(k.samples)|\(k.schedule?.rawValue ?? "")"
    }

    /// The downloads, built once.
    func downloads() -> [DownloadFile] {
        downloadLock.withLock {
            if let cached = downloadCache { return cached }
            let files = buildDownloads()
            downloadCache = files
            return files
        }
    }

    /// Runs `body` with the database, one caller at a time.
    func withDatabase<T>(_ body: (AtlasDatabase) throws -> T) rethrows -> T {
        try dbLock.withLock { try body(db) }
    }

    /// The answer for a decoded path and query. Never throws: errors become 400 and 404 pages.
    ///
    /// `links` decides how the answer links to other documents: from the root for the server (the
    /// default), or `Links.relative(from: path)` for a written site.
    public func respond(path: String, query: [(name: String, value: String)], links: Links = Links()) -> SiteResponse {
        Links.$current.withValue(links) {
            do {
                return try route(path: path, query: query)
            } catch let error as SiteError {
                return errorPage(error, path: path)
            } catch {
                return errorPage(.badRequest("the request could not be answered: \(error)"), path: path, status: 500)
            }
        }
    }

    /// The not-found page on its own, for a written site's `404.html`.
    public func notFoundPage(links: Links) -> SiteResponse {
        Links.$current.withValue(links) {
            errorPage(.notFound("this address"), path: "/404.html")
        }
    }

    private func route(path: String, query: [(name: String, value: String)]) throws -> SiteResponse {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let trailing = path.hasSuffix("/")
        if let first = query.first, !Self.takesQuery(parts, trailing: trailing) { throw SiteError.unexpectedParameter(first.name) }
        switch parts.count {
        case 0: return home()
        case 1:
            switch parts[0] {
            case "models" where trailing: return try catalog(query)
            case "bases" where trailing: return basesPage()
            case "datasets" where trailing: return datasetsPage()
            case "benchmarks" where trailing: return benchmarksPage()
            case "figures" where trailing: return figuresPage()
            case "claims" where trailing: return claimsPage()
            case "downloads" where trailing: return downloadsPage()
            case "compare" where trailing: return try compare(query)
            case "robots.txt": return SiteResponse(contentType: "text/plain; charset=utf-8", body: Array("User-agent: *\nAllow: /\n".utf8))
            case "models", "bases", "datasets", "benchmarks", "figures", "claims", "downloads", "compare":
                throw SiteError.notFound("\(path) (did you mean \(path)/?)")
            default: break
            }
        case 2:
            switch parts[0] {
            case "models" where trailing: return try modelPage(parts[1])
            case "bases" where trailing: return try basePage(parts[1])
            case "datasets" where trailing: return try datasetPage(parts[1])
            case "benchmarks" where trailing: return try benchmarkPage(parts[1])
            case "figures" where trailing: return try figurePage(parts[1])
            case "figures" where !trailing: return try figureFile(parts[1])
            case "downloads" where !trailing: return try download(parts[1])
            case "compare" where parts[1] == "chart.png" || parts[1] == "chart@2x.png":
                return try compareChart(query, scale: parts[1] == "chart.png" ? 1 : 2)
            case "public" where !trailing: return try asset(parts[1])
            default: break
            }
        case 3 where parts[0] == "models" && !trailing:
            return try modelChart(parts[1], file: parts[2])
        case 3 where (parts[0] == "datasets" || parts[0] == "benchmarks") && !trailing:
            return try pageChart(parts[0], parts[1], file: parts[2])
        default:
            break
        }
        if parts.first == "api", parts.count >= 3, parts[1] == "v1" {
            return try api(Array(parts.dropFirst(2)), query: query)
        }
        throw SiteError.notFound(path)
    }

    /// Whether the document at these path segments reads a query string; every other one refuses any.
    static func takesQuery(_ parts: [String], trailing: Bool) -> Bool {
        switch parts.count {
        case 1: return trailing && (parts[0] == "models" || parts[0] == "compare")
        case 2: return parts[0] == "compare" && !trailing && (parts[1] == "chart.png" || parts[1] == "chart@2x.png")
        case 3: return parts[0] == "api" && parts[1] == "v1" && ["models.json", "models.csv"].contains(parts[2])
        case 4: return parts[0] == "api" && parts[1] == "v1" && parts[2] == "analysis" && parts[3].hasSuffix(".json")
        default: return false
        }
    }

    /// Context shared by every page: the layout's links and the synthetic-data banner.
    func page(_ extra: [String: Any]) -> [String: Any] {
        let l = links
        var context: [String: Any] = [
            "root": l.root, "home": l.home, "asset": l.asset, "synthetic": synthetic, "version": Self.version, "written": l.written,
            "nav": [("Models", l.models), ("Bases", l.bases), ("Datasets", l.datasets), ("Benchmarks", l.benchmarks), ("Figures", l.figures),
                    ("Claims", l.claims), ("Downloads", l.downloads)].map { ["label": $0.0, "href": $0.1] },
            "modelsHref": l.models, "figuresHref": l.figures, "claimsHref": l.claims, "downloadsHref": l.downloads,
            "dataNote": synthetic ? "here replaced by a synthetic demo" : (provenance.first.map { "\($0.fileName), sha256 \($0.sha256.prefix(12))…, ingested \($0.ingestedAt)" } ?? ""),
        ]
        // A nil put in as `Any` would read as present to Mustache: leave such keys out.
        for (k, v) in extra where !Self.isNil(v) { context[k] = v }
        return context
    }

    static func isNil(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }

    func errorPage(_ error: SiteError, path: String, status: Int? = nil) -> SiteResponse {
        var context: [String: Any]
        let code: Int
        switch error {
        case .notFound(let what):
            code = 404
            context = ["heading": "Not found", "message": "There is no page at \(what)."]
        case let .badParameter(name, value, valid):
            code = 400
            context = ["heading": "Bad parameter", "message": "The parameter '\(name)' cannot be '\(value)'.",
                       "valid": ["parameter": name, "values": valid]]
        case .unexpectedParameter(let name):
            code = 400
            context = ["heading": "Bad parameter", "message": "This page takes no query parameters, but '\(name)' was given."]
        case .badRequest(let why):
            code = status ?? 400
            context = ["heading": code == 500 ? "Server error" : "Bad request", "message": why]
        }
        if path.hasPrefix("/api/") {
            var fields: [(String, JSON)] = [("status", .int(code)), ("error", .string(context["message"] as? String ?? ""))]
            if case let .badParameter(name, _, valid) = error {
                fields.append(("parameter", .string(name)))
                fields.append(("valid", .array(valid.map { .string($0) })))
            }
            return .json(.object(fields), status: code)
        }
        return .html(templates.render("error", page(context)), status: code)
    }

    func display(_ base: String) -> String { db.bases.first { $0.id == base }?.displayName ?? base }
    func displayDataset(_ id: String?) -> String {
        guard let id else { return "—" }
        return db.datasets.first { $0.id == id }?.displayName ?? id
    }

    /// A model's readable name: base, dataset, method, samples, schedule, epochs.
    func name(of run: Run) -> String {
        let k = run.key
        guard let dataset = k.datasetID else { return "\(display(k.baseID)) (base)" }
        return "\(display(k.baseID)) · \(displayDataset(dataset)) · \(k.method?.displayName ?? "") · \(RunKey.samplesLabel(k.samples)) · \(k.schedule?.rawValue ?? "") · \(k.epochs) ep"
    }
}
