import AtlasCharts
@testable import AtlasSite
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// One route type is the site's map: what a path is read as, the link made for it, and the static build's
/// list cannot disagree.
@Suite struct RouteTests {
    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func everyQueryFreeRouteRoundTrips() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let routes = site.routes().map(\.route)
        #expect(routes.count == Set(routes).count, "a route listed twice")
        #expect(routes.count > 100)
        for route in routes {
            #expect(try Route.parse(route.decodedPath).get() == route, "\(route.decodedPath)")
            #expect(!route.takesQuery || [.catalog, .compare, .explore, .exploreChart(.png), .exploreChart(.png2x), .exploreChart(.csv),
                                          .api(.models(.json)), .api(.models(.csv))].contains(route) || {
                if case .api(.analysis) = route { return true } else { return false } }(), "\(route)")
            // Served from the root, a link is the path itself; written, it is relative and folders open index.html.
            #expect(Links().url(route) == route.path)
            let written = Links.relative(from: "/models/x/").url(route)
            #expect(written == "../.." + route.path + (route.isFolder ? "index.html" : ""), "\(written)")
        }
    }

    /// Routes with ids that need encoding, and every kind of route, generated rather than listed.
    @Test func generatedRoutesRoundTrip() throws {
        let ids = ["qwen2.5-7b.base", "a b", "ü-名", "x%41", "100%", "'=1+2@evil", "..x", "a.b.c"]
        var routes: [Route] = [.home, .catalog, .catalogPage(2), .catalogPage(21), .compare, .explore, .exploreChart(.png), .exploreChart(.png2x), .exploreChart(.csv), .bases, .datasets, .benchmarks, .figures, .claims, .quality, .api(.quality(.json)), .api(.quality(.csv)), .downloads, .robots, .favicon,
                               .api(.openapi), .api(.catalog(script: true)), .api(.catalog(script: false))]
        for id in ids {
            routes += [.model(id), .base(id), .dataset(id), .benchmark(id), .figure(id), .download(id), .asset(id),
                       .api(.model(id)), .api(.analysis(id))]
            for file in Route.ChartFile.allCases {
                routes += [.modelChart(id, file), .figureFile(id, file)]
                routes += Route.PageChartKind.allCases.map { .pageChart($0, id, file) }
            }
            routes += Method.allCases.map { .api(.analysisByMethod(id, $0)) }
        }
        routes += [.compareChart(.png), .compareChart(.png2x)]
        for format in Route.API.Format.allCases {
            routes.append(.api(.models(format)))
            routes += Route.API.Registry.allCases.map { .api(.registry($0, format)) }
        }
        for route in routes {
            #expect(try Route.parse(route.decodedPath).get() == route, "\(route.decodedPath)")
        }
        // The encoded path carries no byte a URL would need escaped.
        #expect(Route.model("a b").path == "/models/a%20b/" && Route.figureFile("ü", .png2x).path == "/figures/%C3%BC@2x.png")
    }

    @Test func equivalentSpellingsAndStrangersAreTold() throws {
        // Empty segments collapse (the server does this before the site sees a path).
        #expect(try Route.parse("/models//x/").get() == .model("x"))
        #expect(try Route.parse("//").get() == .home)
        // A folder without its slash says what was meant; a file with one, and unknown paths, are 404s.
        #expect(Route.parse("/models").failure == .notFound("/models (did you mean /models/?)"))
        for path in ["/downloads/x/", "/api/v1/models.json/", "/figures/x.gif", "/models/x/epochs.gif", "/compare/chart.csv",
                     "/datasets/x/other.png", "/api/v2/models.json", "/models/page/1/", "/models/page/02/", "/models/page/1000001/", "/api/v1/analysis/x/median.json", "/api/v1/models/.json", "/nope"] {
            #expect(Route.parse(path).failure == .notFound(path), "\(path)")
        }
    }
}

/// Equivalent spellings of a query are one canonical target, and get byte-identical answers.
@Suite struct CanonicalTargetTests {
    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func equivalentSpellingsShareOneTargetAndOneAnswer() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let ids = site.routes().compactMap { if case .model(let id) = $0.route { return id } else { return nil } }
        func q(_ pairs: [(String, String)]) -> [(name: String, value: String)] { pairs.map { (name: $0.0, value: $0.1) } }
        let groups: [(String, [[(String, String)]])] = [
            ("/models/", [[("method", "lora"), ("base", "qwen2.5-7b"), ("base", "olmo-7b")],
                          [("base", "olmo-7b"), ("base", "qwen2.5-7b"), ("method", "lora"), ("base", "olmo-7b"), ("page", "1")],
                          [("base", "qwen2.5-7b"), ("method", "lora"), ("base", "olmo-7b")]]),
            ("/api/v1/models.json", [[("cols", "mbpp-4shot,math-0shot"), ("sort", "epochs")],
                                     [("sort", "epochs"), ("col", "mbpp-4shot"), ("cols", "math-0shot"), ("order", "asc"), ("offset", "0")]]),
            ("/compare/", [[("ids", ids[1] + "," + ids[2])], [("ids", ids[1]), ("ids", ids[2])]]),
        ]
        for (path, spellings) in groups {
            let targets = spellings.map { site.canonicalTarget(path: path, query: q($0)) }
            #expect(targets[0] != nil && Set(targets).count == 1, "\(path): \(targets)")
            let bodies = spellings.map { site.respond(path: path, query: q($0)).body }
            #expect(Set(bodies).count == 1, "\(path): the answers differ")
        }
        // Different views stay apart: the order of columns, and a reversed canonical order, are part of the view.
        #expect(site.canonicalTarget(path: "/models/", query: q([("cols", "mbpp-4shot,math-0shot")]))
                != site.canonicalTarget(path: "/models/", query: q([("cols", "math-0shot,mbpp-4shot")])))
        #expect(site.canonicalTarget(path: "/models/", query: q([("order", "desc")])) == "/models/?order=desc")
        // Nothing to share for a request that is refused.
        #expect(site.canonicalTarget(path: "/models/", query: q([("base", "nope")])) == nil)
        #expect(site.canonicalTarget(path: "/bases/", query: q([("x", "1")])) == nil)
        #expect(site.canonicalTarget(path: "/nope/", query: []) == nil)
    }
}

/// Query routes: a generated sample of requests (catalog views, API views, comparisons, analyses), each
/// made into its link and read back, is the same request, and its link is its canonical target.
@Suite struct QueryRouteTests {
    /// A small deterministic generator (64-bit LCG, Knuth's constants), so a failure names a reproducible view.
    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func generatedCatalogViewsRoundTripThroughTheirLinks() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        var g = Generator(state: 42)
        let columns = site.db.columns.map(\.id)
        let sorts = [""] + Site.facetParameters + columns
        for _ in 0..<300 {
            var query: [(String, String)] = []
            for d in FacetDimension.allCases {
                let valid = site.facetValues[d] ?? []
                for v in valid where g.next(4) == 0 { query.append((d.rawValue, v)) }
            }
            let sort = sorts[g.next(sorts.count)]
            if !sort.isEmpty { query.append(("sort", sort)) }
            if g.next(2) == 0 { query.append(("order", g.next(2) == 0 ? "asc" : "desc")) }
            if g.next(3) == 0 { query.append(("cols", (0..<g.next(4)).map { _ in columns[g.next(columns.count)] }.joined(separator: ","))) }
            let page = g.next(3) == 0 ? 1 + g.next(5) : 1
            if page > 1 { query.append(("page", String(page))) }
            query.shuffle(using: &g)

            let spelled = query.map { (name: $0.0, value: $0.1) }
            let request = try site.read(path: "/models/", query: spelled).get()
            // parse(link(r)) == r: the request's link, read back, is the same request.
            let link = Links().url(request)
            #expect(try site.read(path: "/models/", query: Self.query(of: link)).get() == request, "\(query)")
            // The link is the view's canonical target, however the query was spelled.
            #expect(site.canonicalTarget(path: "/models/", query: spelled) == link)
            // The API reads the same filters, paged by limit and offset instead.
            var api = query.filter { $0.0 != "page" }
            if g.next(2) == 0 { api.append(("limit", String(g.next(100)))) }
            if g.next(2) == 0 { api.append(("offset", String(g.next(1000)))) }
            let apiRequest = try site.read(path: "/api/v1/models.json", query: api.map { (name: $0.0, value: $0.1) }).get()
            #expect(try site.read(path: "/api/v1/models.json", query: Self.query(of: Links().url(apiRequest))).get() == apiRequest, "\(api)")
        }
        // Compare and analysis requests round-trip too.
        let ids = site.rows.map(\.run.id)
        for n in 2...8 {
            let chosen = (0..<n).map { _ in ids[g.next(ids.count)] }
            let request = try site.read(path: "/compare/", query: [(name: "ids", value: chosen.joined(separator: ","))]).get()
            #expect(request == Request(.compare, .compare(chosen)))
            #expect(try site.read(path: "/compare/", query: Self.query(of: Links().url(request))).get() == request)
        }
        // Explorer views: axes, colour and filters read back as the same view.
        for (q, expected) in [("x=mbpp-4shot&y=average&color=method&method=full", "x=mbpp-4shot&y=average&color=method"),
                              ("method=full&color=base&view=gain", nil)] as [(String, String?)] {
            let spelled = Self.query(of: "/explore/?" + q)
            let request = try site.read(path: "/explore/", query: spelled).get()
            #expect(try site.read(path: "/explore/", query: Self.query(of: Links().url(request))).get() == request, "\(q)")
            if let expected { #expect(Links().url(request).hasSuffix(expected), "\(Links().url(request))") }
        }
        for key in site.analyses.text.keys {
            let request = try site.read(path: Route.api(.analysis(key.name)).path, query: key.method.map { [(name: "method", value: $0.rawValue)] } ?? []).get()
            #expect(request == Request(.api(.analysis(key.name)), .analysis(key.method)))
            #expect(try site.read(path: request.route.decodedPath, query: Self.query(of: Links().url(request))).get() == request)
        }
    }

    /// The decoded pairs of a link's query (each component is percent-encoded by `Links.query`).
    static func query(of link: String) -> [(name: String, value: String)] {
        guard let q = link.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return q.split(separator: "&").map { pair in
            let nv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            return (name: nv[0], value: nv.count > 1 ? nv[1] : "")
        }
    }
}

extension QueryRouteTests.Generator: RandomNumberGenerator {
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }
}

extension Result {
    var failure: Failure? { if case .failure(let e) = self { return e } else { return nil } }
}
