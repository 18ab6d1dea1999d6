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
    let runs: RunIndex
    let analyses: AnalysisDocuments
    let figures: FigureSet
    /// The three downloads, built on first use (they take ~0.3 s for the release) and kept.
    private let downloadFiles = Once<[DownloadFile]>()
    public static let version = "0.1.0"

    /// Every run with every score, in canonical order.
    var rows: [RunRow] { runs.rows }
    /// Each facet's values with no filter applied: the valid values of the catalog's filter parameters.
    var facetValues: [FacetDimension: [String]] { runs.facetValues }
    var catalogIndex: CatalogIndex { runs.catalog }

    public init(db: AtlasDatabase, assets: Assets, style: ChartStyle) throws {
        self.db = db
        templates = try TemplateSet(folder: assets.templates)
        publicFolder = assets.publicFolder
        self.style = style
        provenance = try db.provenance()
        synthetic = provenance.contains { $0.synthetic }
        hyperparameters = try db.hyperparameters()
        analyses = try AnalysisDocuments(db: db)
        runs = try RunIndex(db: db, findings: analyses.findingsByRun.mapValues { Set($0.map(\.kind.rawValue)) })
        figures = FigureSet(try Figures(db: db, style: style).entries())
    }

    /// The downloads, built once.
    func downloads() -> [DownloadFile] {
        downloadFiles.get(buildDownloads)
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
        switch read(path: path, query: query) {
        case .success(let request): return respond(to: request, links: links)
        case .failure(let error):
            // A folder's address without its slash (`/models`): a 301 to the folder, query kept, as web servers
            // answer for directories.
            if case .notFound = error, !path.hasSuffix("/"), case .success(let folder) = read(path: path + "/", query: query) {
                let location = Links().url(folder)
                return SiteResponse(status: 301, contentType: "text/plain; charset=utf-8", body: Array("Moved to \(location)\n".utf8),
                                    headers: [("Location", location)])
            }
            // A comparison that cannot be made keeps its chooser, with what was wrong above it.
            if error.isAboutParameters, case .success(.compare) = Route.parse(path) {
                var answer = comparePage(links: links, notice: errorMessage(error))
                answer.status = error.status
                return answer
            }
            return errorPage(error, path: path, links: links)
        }
    }

    /// The answer for a request already read. Never throws: errors become 400, 404 and 500 pages.
    public func respond(to request: Request, links: Links = Links()) -> SiteResponse {
        do {
            var response = try answer(request, links: links)
            if synthetic { response.headers = response.headers.map { $0.name == "Content-Disposition" ? ($0.name, Self.markedSynthetic($0.value)) : $0 } }
            return response
        } catch let error as SiteError {
            return errorPage(error, path: request.route.decodedPath, links: links)
        } catch {
            return errorPage(.internalError("the request could not be answered: \(error)"), path: request.route.decodedPath, links: links)
        }
    }

    /// A download's file name with "-synthetic" before its extension (`scores-long-synthetic.csv`), so that a
    /// file saved from the demo says what it is.
    static func markedSynthetic(_ disposition: String) -> String {
        guard let start = disposition.range(of: "filename=\""), let end = disposition.range(of: "\"", range: start.upperBound..<disposition.endIndex) else { return disposition }
        let name = disposition[start.upperBound..<end.lowerBound]
        let dot = name.lastIndex(of: ".") ?? name.endIndex
        return String(disposition[..<start.upperBound]) + name[..<dot] + "-synthetic" + name[dot...] + disposition[end.lowerBound...]
    }

    /// The not-found page on its own, for a written site's `404.html`.
    public func notFoundPage(links: Links) -> SiteResponse {
        errorPage(.notFound("this address"), path: "/404.html", links: links)
    }

    /// The answer for a request: one case a document.
    private func answer(_ request: Request, links: Links) throws -> SiteResponse {
        switch (request.route, request.query) {
        case (.home, _): return home(links: links)
        case (.catalog, .catalog(let view)): return try catalog(view, links: links)
        case (.catalogPage(let n), _):
            var view = CatalogView(columns: db.columns.filter(\.isMain).map(\.id))
            (view.page, view.offset) = (n, (n - 1) * view.limit)
            // /models/page/<n>/ past the last page is no page (there is no parameter to blame).
            guard n <= max(1, (rows.count + view.limit - 1) / view.limit) else { throw SiteError.notFound(request.route.decodedPath) }
            return try catalog(view, links: links)
        case (.model(let id), _): return try modelPage(id, links: links)
        case (.modelChart(let id, let file), _): return try modelChart(id, file: file)
        case (.bases, _): return basesPage(links: links)
        case (.base(let id), _): return try basePage(id, links: links)
        case (.datasets, _): return datasetsPage(links: links)
        case (.dataset(let id), _): return try datasetPage(id, links: links)
        case (.benchmarks, _): return benchmarksPage(links: links)
        case (.benchmark(let id), _): return try benchmarkPage(id, links: links)
        case (.pageChart(let kind, let id, let file), _): return try pageChart(kind, id, file: file)
        case (.figures, _): return figuresPage(links: links)
        case (.figure(let name), _): return try figurePage(name, links: links)
        case (.figureFile(let name, let file), _): return try figureFile(name, file)
        case (.claims, _): return claimsPage(links: links)
        case (.quality, _): return qualityPage(links: links)
        case (.qualityKind(let kind, let n), _): return try qualityKindPage(kind, page: n, links: links)
        case (.downloads, _): return downloadsPage(links: links)
        case (.download(let name), _): return try download(name)
        case (.compare, .compare(let ids)): return try compare(ids, links: links)
        case (.compareChart(let file), .compare(let ids)): return try compareChart(ids, scale: file.scale ?? 1)
        case (.favicon, _): return SiteResponse(contentType: "image/png", body: Favicon.png(font: style.font))
        case (.explore, .explore(let view)): return explorePage(view, links: links)
        case (.exploreChart(let file), .explore(let view)): return exploreChart(view, file: file)
        case (.asset(let file), _): return try asset(file)
        case (.robots, _): return SiteResponse(contentType: "text/plain; charset=utf-8", body: Array("User-agent: *\nAllow: /\n".utf8))
        case (.api(let api), let query): return try self.api(api, query: query, links: links)
        case (.catalog, _), (.compare, _), (.compareChart, _), (.explore, _), (.exploreChart, _):
            // A request made by hand rather than read: its route takes a query of another kind.
            throw SiteError.internalError("\(request.route.path) was given a query of another kind")
        }
    }

    /// The layout's values for the document being rendered.
    func layout(alternates: [(type: String, href: String)] = [], links: Links) -> LayoutContext {
        let l = links
        return LayoutContext(
            root: l.root, home: l.home, asset: l.asset, synthetic: synthetic, version: Self.version, written: l.written,
            nav: [("Models", l.models), ("Bases", l.bases), ("Datasets", l.datasets), ("Benchmarks", l.benchmarks), ("Figures", l.figures),
                  ("Claims", l.claims), ("Quality", l.url(.quality)), ("Explore", l.url(.explore)), ("Compare", l.compare), ("Downloads", l.downloads)].map { LayoutContext.Link(label: $0.0, href: $0.1) },
            modelsHref: l.models, figuresHref: l.figures, claimsHref: l.claims, downloadsHref: l.downloads,
            dataNote: synthetic ? "here replaced by a synthetic demo" : (provenance.first.map { "\($0.fileName), sha256 \($0.sha256.prefix(12))…, ingested \($0.ingestedAt)" } ?? ""),
            alternates: alternates.map { LayoutContext.Alternate(type: $0.type, href: $0.href) })
    }

    /// The one place an error becomes an answer: its status, and a page (or, under `/api/`, JSON) saying why.
    /// An error in one sentence, with the valid values of a bad parameter.
    func errorMessage(_ error: SiteError) -> String {
        let valid: [String]
        switch error {
        case .badParameter(_, _, let v), .unknownParameter(_, let v), .missingParameter(_, let v): valid = v
        default: return "\(error)"
        }
        return String(Self.sentence(error).dropLast()) + "; expected \(valid.prefix(8).joined(separator: ", "))\(valid.count > 8 ? ", …" : "")."
    }

    /// What was wrong with a request's parameters, in one sentence.
    static func sentence(_ error: SiteError) -> String {
        switch error {
        case let .badParameter(name, value, _): return "The parameter '\(name)' cannot be '\(value)'."
        case .missingParameter(let name, _): return "The parameter '\(name)' is required here."
        case .unknownParameter(let name, _): return "This page has no parameter '\(name)'."
        case .unexpectedParameter(let name): return "This page takes no query parameters, but '\(name)' was given."
        default: return "\(error)"
        }
    }

    func errorPage(_ error: SiteError, path: String, links: Links) -> SiteResponse {
        var context = ErrorPage(layout: layout(links: links), heading: "", message: "", valid: nil)
        let code = error.status
        switch error {
        case .notFound(let what):
            (context.heading, context.message) = ("Not found", "There is no page at \(what).")
        case let .badParameter(name, _, valid), let .missingParameter(name, valid):
            (context.heading, context.message) = ("Bad parameter", Self.sentence(error))
            context.valid = ErrorPage.Valid(lead: "Valid values for \(name)", values: valid)
        case .unknownParameter(_, let valid):
            (context.heading, context.message) = ("Unknown parameter", Self.sentence(error))
            context.valid = ErrorPage.Valid(lead: "Parameters this page takes", values: valid)
        case .unexpectedParameter:
            (context.heading, context.message) = ("Bad parameter", Self.sentence(error))
        case .badRequest(let why):
            (context.heading, context.message) = ("Bad request", why)
        case .internalError(let why):
            (context.heading, context.message) = ("Server error", why)
        }
        if path.hasPrefix("/api/") {
            var fields: [(String, JSON)] = [("status", .int(code)), ("error", .string(context.message))]
            switch error {
            case .badParameter(let name, _, let valid), .unknownParameter(let name, let valid), .missingParameter(let name, let valid):
                fields.append(("parameter", .string(name)))
                fields.append(("valid", .array(valid.map { .string($0) })))
            default: break
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
        if let label = run.label { return "\(label) (your run)" }
        let k = run.key
        guard let dataset = k.datasetID else { return "\(display(k.baseID)) (base)" }
        return "\(display(k.baseID)) · \(displayDataset(dataset)) · \(k.method?.displayName ?? "") · \(RunKey.samplesLabel(k.samples)) · \(k.schedule?.rawValue ?? "") · \(k.epochs) ep"
    }
}
