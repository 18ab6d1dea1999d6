import AtlasCharts
import AtlasIngest
@testable import AtlasSite
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// The site in-process: routing, every page reachable from the home page, the API's shapes, the OpenAPI
/// document and escaping of hostile names that came in with the data.
@Suite struct SiteTests {
    static let font = try? ChartStyle.locateFont()

    /// The small fixture (10 rows) plus a base and a dataset with hostile names: 12 runs.
    static let csv = Fixture.small + Fixture.hostile

    static func site() throws -> (Site, String) {
        let folder = Fixture.folder()
        let path = folder + "/atlas.sqlite"
        try StoreWriter.write(try Fixture.load(csv).0, to: path)
        let site = try Site(db: try AtlasDatabase(path: path), assets: try Assets.locate(explicit: Fixture.repository), style: ChartStyle(font: font!))
        return (site, folder)
    }

    func text(_ r: SiteResponse) -> String { String(decoding: r.body, as: UTF8.self) }

    func get(_ site: Site, _ target: String) -> SiteResponse {
        let parts = target.split(separator: "?", maxSplits: 1)
        let query = parts.count > 1 ? parts[1].split(separator: "&").map { pair -> (name: String, value: String) in
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            return (kv[0], kv.count > 1 ? kv[1] : "")
        } : []
        return site.respond(path: String(parts[0]).removingPercentEncoding ?? String(parts[0]), query: query)
    }

    /// Parameters trackers append to shared links (utm_*, fbclid, gclid…) are dropped: the page answers as without
    /// them, under the same canonical target. Other unknown parameters are still 400s, now said to be unknown; a
    /// required one that is missing is said to be required.
    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func trackingParametersAreIgnoredAndUnknownOnesNamed() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        for (tracked, plain) in [("/?utm_source=twitter&utm_medium=social", "/"), ("/models/?method=lora&fbclid=IwAR0x", "/models/?method=lora"),
                                 ("/models/qwen2.5-7b.base/?gclid=abc", "/models/qwen2.5-7b.base/")] {
            let a = get(site, tracked), b = get(site, plain)
            #expect(a.status == 200 && a.body == b.body, "\(tracked): \(a.status)")
        }
        #expect(site.canonicalTarget(path: "/models/", query: [("method", "lora"), ("utm_campaign", "x")]) == "/models/?method=lora")
        // A catalog page past the view's last is refused, saying how many there are (it was an empty "Page 99999 of 1").
        let past = get(site, "/models/?page=99999")
        #expect(past.status == 400 && text(past).contains("a whole number from 1 to 1 (this view&#39;s pages)"), "\(past.status)")
        #expect(get(site, "/models/?page=1").status == 200)
        // The written site's page route past the last page: a 404 (there is no parameter to name).
        #expect(get(site, "/models/page/2/").status == 404)
        let unknown = get(site, "/models/?foo=bar")
        #expect(unknown.status == 400 && text(unknown).contains("This page has no parameter &#39;foo&#39;.") && text(unknown).contains("Parameters this page takes: <code>base=…</code>"))
        let api = try JSONSerialization.jsonObject(with: Data(get(site, "/api/v1/models.json?foo=bar").body)) as! [String: Any]
        #expect(api["parameter"] as? String == "foo" && api["error"] as? String == "This page has no parameter 'foo'." && (api["valid"] as? [String])?.contains("limit=…") == true)
        let missing = try JSONSerialization.jsonObject(with: Data(get(site, "/api/v1/analysis/pca.json").body)) as! [String: Any]
        #expect(missing["error"] as? String == "The parameter 'method' is required here." && missing["valid"] as? [String] == ["full", "lora"], "\(missing)")
        // An empty value is a bad value, not a missing parameter.
        #expect(text(get(site, "/models/?base=")).contains("The parameter &#39;base&#39; cannot be &#39;&#39;."))
        // The explorer lists its own parameters (x, y, color), not the catalog's paging and sorting, which it refuses.
        let explore = text(get(site, "/explore/?foo=1"))
        #expect(explore.contains("This page has no parameter &#39;foo&#39;.") && explore.contains("<code>x=…</code>") && !explore.contains("<code>sort=…</code>"))
        // An analysis covering both methods takes no parameters at all.
        let both = try JSONSerialization.jsonObject(with: Data(get(site, "/api/v1/analysis/claims.json?foo=1").body)) as! [String: Any]
        #expect(both["error"] as? String == "This page takes no query parameters, but 'foo' was given.", "\(both)")
        // The compare page keeps its chooser under any parameter error.
        let compare = get(site, "/compare/?foo=1")
        #expect(compare.status == 400 && text(compare).contains("This page has no parameter &#39;foo&#39;") && text(compare).contains("Compare models</h1>"), "\(text(compare).prefix(300))")
    }

    /// A folder's address without its slash is a 301 to the folder, query kept in its canonical form; other
    /// unknown paths stay 404s.
    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func aFolderWithoutItsSlashRedirects() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        func location(_ r: SiteResponse) -> String? { r.headers.first { $0.name == "Location" }?.value }
        let catalog = get(site, "/models?method=lora")
        #expect(catalog.status == 301 && location(catalog) == "/models/?method=lora", "\(catalog.status) \(location(catalog) ?? "-")")
        let model = get(site, "/models/qwen2.5-7b.base")
        #expect(model.status == 301 && location(model) == "/models/qwen2.5-7b.base/")
        let figures = get(site, "/figures")
        #expect(figures.status == 301 && location(figures) == "/figures/")
        // An unknown model's JSON: a 404 naming the address asked for (it named the model page's).
        let json = try JSONSerialization.jsonObject(with: Data(get(site, "/api/v1/models/nope.json").body)) as! [String: Any]
        #expect(json["status"] as? Int == 404 && json["error"] as? String == "There is no page at /api/v1/models/nope.json (no model has that id).", "\(json)")
        // A model folder is redirected before the model is looked up; the folder then answers 404.
        #expect(get(site, "/models/no-such-run").status == 301 && get(site, "/models/no-such-run/").status == 404)
        // Not folders, or a folder with a query it refuses: 404s, as before.
        #expect(get(site, "/nope").status == 404)
        #expect(get(site, "/figures?x=1").status == 404)
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func everyLinkFromTheHomePageResolves() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        var queue = ["/"], seen: Set<String> = ["/"], pages = 0
        // Links with a fragment: the page, and the id it must hold (checked once the page is read).
        var fragments: [(page: String, id: String)] = [], ids: [String: Set<String>] = [:]
        let linkPattern = try NSRegularExpression(pattern: "(?:href|src|srcset)=\"([/#][^\" ]*)")
        let idPattern = try NSRegularExpression(pattern: " id=\"([^\"]+)\"")
        while let target = queue.popLast() {
            let r = get(site, target)
            #expect(r.status == 200, "\(target) answered \(r.status)")
            guard r.contentType.hasPrefix("text/html") else { continue }
            pages += 1
            let html = text(r)
            ids[target] = Set(idPattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 1), in: html)!]) })
            for m in linkPattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                var link = String(html[Range(m.range(at: 1), in: html)!]).replacingOccurrences(of: "&amp;", with: "&")
                if let hash = link.firstIndex(of: "#") {
                    let page = hash == link.startIndex ? target : String(link[..<hash])
                    fragments.append((page, String(link[link.index(after: hash)...])))
                    link = page
                }
                if seen.insert(link).inserted { queue.append(link) }
            }
        }
        // Home, catalog, 12 model pages, the registry, figure, claims and download pages at least.
        #expect(pages > 40)
        // Every fragment names an id on its page (the audit's flags, the skip link, /quality/'s kinds).
        for f in fragments { #expect(ids[f.page]?.contains(f.id) == true, "\(f.page)#\(f.id): no such id") }
        #expect(fragments.contains { $0.page == "/quality/" })
        #expect(seen.contains("/downloads/scores-long.csv") && seen.contains("/api/v1/models.json"))
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func hostileNamesAreEscaped() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        for page in ["/bases/", "/models/", "/datasets/"] {
            let html = text(get(site, page))
            #expect(!html.contains("<script>alert"), "\(page)")
        }
        #expect(text(get(site, "/bases/")).contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let csv = text(get(site, "/api/v1/datasets.csv"))
        #expect(csv.contains("'=1+2@evil") && !csv.contains(",=1+2@evil"))
        #expect(text(get(site, "/api/v1/bases.json")).contains("\\u003cscript\\u003e"))
        // A 404 for a hostile path echoes it escaped.
        let missing = get(site, "/models/<img src=x onerror=alert(1)>/")
        #expect(missing.status == 404 && !text(missing).contains("<img src=x"))
    }

    /// From a synthetic database, every download's file name says so ("-synthetic" before its extension); from
    /// the release, names are as they were.
    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func downloadsFromTheSyntheticDemoAreNamedSo() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        let (data, _) = try Ingest().load(files: [("evaluation_result.csv", Array(Self.csv.utf8))], synthetic: true)
        try StoreWriter.write(data, to: folder + "/demo.sqlite")
        let demo = try Site(db: try AtlasDatabase(path: folder + "/demo.sqlite"), assets: try Assets.locate(explicit: Fixture.repository), style: ChartStyle(font: Self.font!))
        let (release, releaseFolder) = try Self.site()
        defer { Fixture.remove(releaseFolder) }
        func name(_ site: Site, _ target: String) -> String? { get(site, target).headers.first { $0.name == "Content-Disposition" }?.value }
        #expect(name(demo, "/downloads/evaluation_result.csv") == "attachment; filename=\"evaluation_result-synthetic.csv\"")
        #expect(name(demo, "/api/v1/models.csv?method=lora") == "attachment; filename=\"models-synthetic.csv\"")
        #expect(name(demo, "/downloads/sftatlas.sqlite") == "attachment; filename=\"sftatlas-synthetic.sqlite\"")
        #expect(name(release, "/downloads/evaluation_result.csv") == "attachment; filename=\"evaluation_result.csv\"")
        #expect(Site.markedSynthetic("attachment; filename=\"noext\"") == "attachment; filename=\"noext-synthetic\"")
    }

    /// The release-layout download guards formula-like names with an apostrophe; ingesting the download
    /// reads them back as they were, so the round trip keeps every name and id.
    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func theReleaseLayoutDownloadIngestsBackToTheSameNames() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        let download = get(site, "/downloads/evaluation_result.csv")
        #expect(download.status == 200 && text(download).contains(",'=1+2@evil,"))
        let (again, _) = try Ingest().load(files: [("evaluation_result.csv", download.body)], synthetic: false)
        let (original, _) = try Fixture.load(Self.csv)
        #expect(again.datasets.map(\.sourceName) == original.datasets.map(\.sourceName))
        #expect(again.datasets.contains { $0.sourceName == "=1+2@evil" })
        #expect(again.bases.map(\.sourceName) == original.bases.map(\.sourceName))
        #expect(again.runs.map(\.id) == original.runs.map(\.id))
    }

    /// A query string on a page that takes none is refused, so it cannot make a new answer to build and keep.
    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func pagesThatTakeNoParametersRefuseThem() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        for target in ["/?x=1", "/downloads/scores-long.csv?x=1", "/figures/?v=2", "/bases/?a=", "/public/style.css?v=3", "/api/v1/bases.json?x=1"] {
            let r = get(site, target)
            #expect(r.status == 400, "\(target): \(r.status)")
        }
        for target in ["/models/?method=lora", "/api/v1/models.json?limit=1"] {
            #expect(get(site, target).status == 200, "\(target)")
        }
        // The largest page number read is 1e6; a page past the view's last is refused too (see below).
        #expect(text(get(site, "/models/?page=1000000")).contains("from 1 to 1 (this view"))
        #expect(text(get(site, "/models/?page=1000001")).contains("a whole number from 1 to 1000000"))
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func apiShapes() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        let all = try JSONSerialization.jsonObject(with: Data(get(site, "/api/v1/models.json").body)) as! [String: Any]
        // 12 rows: 3 bases and 9 fine-tuned runs in the fixture (counted by hand from Fixture.small plus two rows).
        #expect(all["total"] as? Int == 12 && (all["rows"] as? [Any])?.count == 12)
        let lora = try JSONSerialization.jsonObject(with: Data(get(site, "/api/v1/models.json?base=qwen2.5-7b&method=lora&sort=mbpp-4shot&order=desc&cols=mbpp-4shot").body)) as! [String: Any]
        let rows = lora["rows"] as! [[String: Any]]
        #expect(lora["total"] as? Int == 1 && rows.first?["id"] as? String == "qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10")
        #expect((rows.first?["scores"] as? [String: Any])?["mbpp-4shot"] as? Double == 49.0)
        let csv = text(get(site, "/api/v1/models.csv?base=olmo-7b&cols=math-0shot"))
        #expect(csv.hasPrefix("id,base,dataset,method,epochs,samples,schedule,leave_one_out,math-0shot,average\r\n"))
        // The header, OLMo's base row and its three fine-tuned runs (alpaca 1k, alpaca 20k constant, math LoRA).
        #expect(csv.split(separator: "\r\n").count == 5)
        let model = try JSONSerialization.jsonObject(with: Data(get(site, "/api/v1/models/qwen2.5-7b.alpaca-cleaned.full.1k.cosine.ep10.json").body)) as! [String: Any]
        let mbpp = (model["scores"] as! [[String: Any]]).first { $0["column"] as? String == "mbpp-4shot" }!
        #expect(mbpp["value"] as? Double == 52.5 && mbpp["base_value"] as? Double == 50.0 && mbpp["gain"] as? Double == 2.5)
        #expect(get(site, "/api/v1/analysis/pca.json?method=full").status == 200)
        #expect(get(site, "/api/v1/analysis/claims.json").status == 200)
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func badParametersNameTheirValidValues() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        let html = get(site, "/models/?method=qlora")
        #expect(html.status == 400 && text(html).contains("method") && text(html).contains("<code>lora</code>"))
        let json = try JSONSerialization.jsonObject(with: Data(get(site, "/api/v1/models.json?sort=nonsense").body)) as! [String: Any]
        #expect(json["status"] as? Int == 400 && json["parameter"] as? String == "sort" && (json["valid"] as? [String])?.contains("mbpp-4shot") == true)
        #expect(get(site, "/api/v1/analysis/pca.json").status == 400)
        #expect(get(site, "/compare/?ids=a").status == 400)
        #expect(get(site, "/no/such/page/").status == 404)
        #expect(get(site, "/models/nope/").status == 404)
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func openAPIDescribesEveryEndpoint() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        let doc = try JSONSerialization.jsonObject(with: Data(get(site, "/api/v1/openapi.json").body)) as! [String: Any]
        #expect((doc["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = doc["paths"] as! [String: Any]
        // Every operation, with its required parameters set to the first value the description allows, answers 200.
        for (path, item) in paths {
            let operation = (item as! [String: Any])["get"] as! [String: Any]
            var concrete = path
            var query: [String] = []
            for p in operation["parameters"] as? [[String: Any]] ?? [] where p["required"] as? Bool == true {
                let first = ((p["schema"] as! [String: Any])["enum"] as! [String])[0]
                if p["in"] as? String == "path" { concrete = concrete.replacingOccurrences(of: "{\(p["name"] as! String)}", with: first) }
                else { query.append("\(p["name"] as! String)=\(first)") }
            }
            let target = concrete + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
            #expect(get(site, target).status == 200, "\(target)")
        }
        for endpoint in ["/api/v1/models.json", "/api/v1/models.csv", "/api/v1/bases.json", "/api/v1/bases.csv", "/api/v1/datasets.json",
                         "/api/v1/datasets.csv", "/api/v1/benchmarks.json", "/api/v1/benchmarks.csv", "/api/v1/models/{id}.json",
                         "/api/v1/analysis/claims.json", "/api/v1/analysis/pca.json", "/api/v1/analysis/pca/{method}.json"] {
            #expect(paths[endpoint] != nil, "\(endpoint)")
        }
        // An analysis kept for both methods in one document offers no method.
        let claims = ((paths["/api/v1/analysis/claims.json"] as? [String: Any])?["get"] as? [String: Any])
        #expect(claims != nil && claims?["parameters"] == nil)
    }
}
