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
    let synthetic: Bool
    let provenance: [Provenance]
    let hyperparameters: [GridHyperparameters]
    /// Every run with every score, in canonical order.
    let rows: [RunRow]
    let rowIndex: [String: Int]
    let figureEntries: [Figures.Entry]
    let figureIndex: [String: Int]
    /// Stored analysis documents.
    let analysisDocuments: [AnalysisKey: String]
    let claims: ClaimsResult?
    /// Each analysis document's "definition" text, by the same keys.
    let analysisDefinitions: [AnalysisKey: String]
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
        var documents: [AnalysisKey: String] = [:]
        for (name, method) in try db.analyses() {
            documents[AnalysisKey(name, method.flatMap(Method.init(rawValue:)))] = try db.analysis(name, method: method)
        }
        analysisDocuments = documents
        facetValues = Dictionary(uniqueKeysWithValues: try db.facets(RunFilter()).map { ($0.dimension, $0.values.map(\.value)) })
        claims = try documents[AnalysisKey("claims")].map { try JSONDecoder().decode(ClaimsResult.self, from: Data($0.utf8)) }
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
        do {
            return try route(path: path, query: query, links: links)
        } catch let error as SiteError {
            return errorPage(error, path: path, links: links)
        } catch {
            return errorPage(.internalError("the request could not be answered: \(error)"), path: path, links: links)
        }
    }

    /// The not-found page on its own, for a written site's `404.html`.
    public func notFoundPage(links: Links) -> SiteResponse {
        errorPage(.notFound("this address"), path: "/404.html", links: links)
    }

    private func route(path: String, query: [(name: String, value: String)], links: Links) throws -> SiteResponse {
        let route = try Route.parse(path).get()
        if let first = query.first, !route.takesQuery { throw SiteError.unexpectedParameter(first.name) }
        return try respond(to: route, query: query, links: links)
    }

    /// The answer for a route: one case a document.
    func respond(to route: Route, query: [(name: String, value: String)], links: Links) throws -> SiteResponse {
        switch route {
        case .home: return home(links: links)
        case .catalog: return try catalog(query, links: links)
        case .model(let id): return try modelPage(id, links: links)
        case .modelChart(let id, let file): return try modelChart(id, file: file)
        case .bases: return basesPage(links: links)
        case .base(let id): return try basePage(id, links: links)
        case .datasets: return datasetsPage(links: links)
        case .dataset(let id): return try datasetPage(id, links: links)
        case .benchmarks: return benchmarksPage(links: links)
        case .benchmark(let id): return try benchmarkPage(id, links: links)
        case .pageChart(let kind, let id, let file): return try pageChart(kind, id, file: file)
        case .figures: return figuresPage(links: links)
        case .figure(let name): return try figurePage(name, links: links)
        case .figureFile(let name, let file): return try figureFile(name, file)
        case .claims: return claimsPage(links: links)
        case .downloads: return downloadsPage(links: links)
        case .download(let name): return try download(name)
        case .compare: return try compare(query, links: links)
        case .compareChart(let file): return try compareChart(query, scale: file.scale ?? 1)
        case .asset(let file): return try asset(file)
        case .robots: return SiteResponse(contentType: "text/plain; charset=utf-8", body: Array("User-agent: *\nAllow: /\n".utf8))
        case .api(let api): return try self.api(api, query: query, links: links)
        }
    }

    /// The layout's values for the document being rendered.
    func layout(alternates: [(type: String, href: String)] = [], links: Links) -> LayoutContext {
        let l = links
        return LayoutContext(
            root: l.root, home: l.home, asset: l.asset, synthetic: synthetic, version: Self.version, written: l.written,
            nav: [("Models", l.models), ("Bases", l.bases), ("Datasets", l.datasets), ("Benchmarks", l.benchmarks), ("Figures", l.figures),
                  ("Claims", l.claims), ("Downloads", l.downloads)].map { LayoutContext.Link(label: $0.0, href: $0.1) },
            modelsHref: l.models, figuresHref: l.figures, claimsHref: l.claims, downloadsHref: l.downloads,
            dataNote: synthetic ? "here replaced by a synthetic demo" : (provenance.first.map { "\($0.fileName), sha256 \($0.sha256.prefix(12))…, ingested \($0.ingestedAt)" } ?? ""),
            alternates: alternates.map { LayoutContext.Alternate(type: $0.type, href: $0.href) })
    }

    /// The one place an error becomes an answer: its status, and a page (or, under `/api/`, JSON) saying why.
    func errorPage(_ error: SiteError, path: String, links: Links) -> SiteResponse {
        var context = ErrorPage(layout: layout(links: links), heading: "", message: "", valid: nil)
        let code = error.status
        switch error {
        case .notFound(let what):
            (context.heading, context.message) = ("Not found", "There is no page at \(what).")
        case let .badParameter(name, value, valid):
            (context.heading, context.message) = ("Bad parameter", "The parameter '\(name)' cannot be '\(value)'.")
            context.valid = ErrorPage.Valid(parameter: name, values: valid)
        case .unexpectedParameter(let name):
            (context.heading, context.message) = ("Bad parameter", "This page takes no query parameters, but '\(name)' was given.")
        case .badRequest(let why):
            (context.heading, context.message) = ("Bad request", why)
        case .internalError(let why):
            (context.heading, context.message) = ("Server error", why)
        }
        if path.hasPrefix("/api/") {
            var fields: [(String, JSON)] = [("status", .int(code)), ("error", .string(context.message))]
            if case let .badParameter(name, _, valid) = error {
                fields.append(("parameter", .string(name)))
                fields.append(("valid", .array(valid.map { .string($0) })))
            }
            return .json(.object(fields), status: code)
        }
        return .html(templates.render("error", context), status: code)
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
