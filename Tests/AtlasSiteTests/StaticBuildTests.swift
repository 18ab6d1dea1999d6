import AtlasCharts
import AtlasIngest
import AtlasSite
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// `sftatlas build` from a fixture database: determinism, every link and asset resolving from the files
/// alone, the manifest against an independent `sha256sum`, and the safety rules for the target folder.
@Suite struct StaticBuildTests {
    static let font = SiteTests.font

    func build(_ site: Site, into out: String, baseURL: String? = nil, force: Bool = false) throws -> StaticBuild.Summary {
        try StaticBuild(site: site, options: StaticBuild.Options(out: out, baseURL: baseURL, force: force)).run()
    }

    /// Every regular file under `root`, as relative paths, sorted.
    func files(under root: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: root)!
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + p, isDirectory: &isFolder), !isFolder.boolValue { out.append(p) }
        }
        return out.sorted()
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func twoBuildsAreByteIdentical() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let summary = try build(site, into: folder + "/a")
        _ = try build(site, into: folder + "/b")
        let a = files(under: folder + "/a"), b = files(under: folder + "/b")
        #expect(a == b)
        #expect(a.count == summary.files)
        for f in a {
            #expect(FileManager.default.contents(atPath: folder + "/a/" + f) == FileManager.default.contents(atPath: folder + "/b/" + f), "\(f)")
        }
        // A page and a JSON document per model: the fixture's 10 rows plus the hostile pair.
        #expect(a.filter { $0.hasPrefix("models/") && $0.hasSuffix("/index.html") && $0.split(separator: "/").count == 3 }.count == 12)
        #expect(a.filter { $0.hasPrefix("api/v1/models/") && $0.hasSuffix(".json") }.count == 12)
        for f in ["index.html", "404.html", "robots.txt", "sitemap.xml", "SHA256SUMS", "public/style.css", "public/atlas.js",
                  "api/v1/catalog.json", "api/v1/catalog.js", "api/v1/openapi.json", "downloads/sftatlas.sqlite", "compare/index.html"] {
            #expect(a.contains(f), "\(f) missing")
        }
    }

    /// Every JSON file the site writes is strict JSON in which no object names a key twice (a parser keeps
    /// one of the two and drops the other silently). The model documents once had "source" twice.
    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func noJSONDocumentRepeatsAKey() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let out = folder + "/site"
        _ = try build(site, into: out)
        func repeated(_ node: JSONNode, _ path: String) -> [String] {
            switch node {
            case .object(let pairs):
                let keys = pairs.map(\.0)
                let twice = Set(keys.filter { k in keys.filter { $0 == k }.count > 1 }).sorted().map { "\(path).\($0)" }
                return twice + pairs.flatMap { repeated($0.1, path + "." + $0.0) }
            case .array(let items): return items.enumerated().flatMap { repeated($0.1, "\(path)[\($0.0)]") }
            default: return []
            }
        }
        var documents = 0
        for file in files(under: out) where file.hasSuffix(".json") {
            let doc = try JSONDocument(bytes: Array(FileManager.default.contents(atPath: out + "/" + file)!), file: file)
            #expect(repeated(doc.root, "$") == [], "\(file)")
            documents += 1
        }
        #expect(documents >= 30, "\(documents) JSON documents")
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func everyLinkAndAssetResolvesFromTheFiles() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let out = folder + "/site"
        _ = try build(site, into: out)
        let all = Set(files(under: out))
        let attribute = try NSRegularExpression(pattern: "(?:href|src|data-catalog|data-catalog-script)=\"([^\"]*)\"|srcset=\"([^\" ]*)")
        var checked = 0
        for page in all where page.hasSuffix(".html") {
            let html = String(decoding: FileManager.default.contents(atPath: out + "/" + page)!, as: UTF8.self)
            let here = URL(fileURLWithPath: "/" + page).deletingLastPathComponent()
            for m in attribute.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                let r = m.range(at: 1).location != NSNotFound ? m.range(at: 1) : m.range(at: 2)
                let raw = String(html[Range(r, in: html)!]).replacingOccurrences(of: "&amp;", with: "&")
                if raw.hasPrefix("https://") || raw.hasPrefix("http://") || raw.hasPrefix("#") { continue }
                // Relative links only: a root-absolute one breaks under a sub-path and from file://.
                #expect(!raw.hasPrefix("/"), "\(page) links to \(raw)")
                let parts = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let path = String(parts[0].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
                let target = URL(fileURLWithPath: path.removingPercentEncoding ?? path, relativeTo: here).standardizedFileURL.path
                #expect(all.contains(String(target.dropFirst())), "\(page): \(raw) does not resolve (\(target))")
                // A fragment names an id on the page it links to.
                if parts.count > 1, all.contains(String(target.dropFirst())) {
                    let linked = String(decoding: FileManager.default.contents(atPath: out + target)!, as: UTF8.self)
                    #expect(linked.contains(" id=\"\(parts[1])\""), "\(page): \(raw): no such id")
                }
                checked += 1
            }
        }
        #expect(checked > 500)
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func theManifestListsEveryFileWithItsDigest() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let out = folder + "/site"
        _ = try build(site, into: out)
        let manifest = String(decoding: FileManager.default.contents(atPath: out + "/SHA256SUMS")!, as: UTF8.self)
        let listed = manifest.split(separator: "\n").map { String($0.split(separator: " ", maxSplits: 1)[1].dropFirst()) }
        #expect(listed == files(under: out).filter { $0 != "SHA256SUMS" })
        // Checked by coreutils' sha256sum, not by the code that wrote it.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        check.arguments = ["--check", "--quiet", "--strict", "SHA256SUMS"]
        check.currentDirectoryURL = URL(fileURLWithPath: out)
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func theWrittenCatalogHoldsEveryRunAndLoadsTheScript() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let out = folder + "/site"
        _ = try build(site, into: out, baseURL: "https://example.org/atlas")
        let catalog = String(decoding: FileManager.default.contents(atPath: out + "/models/index.html")!, as: UTF8.self)
        let runs = (try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: out + "/api/v1/catalog.json")!) as! [String: Any])["runs"] as! [[Any]]
        let bodyRows = catalog.components(separatedBy: "<tbody>")[1].components(separatedBy: "<tr>").count - 1
        #expect(bodyRows == 12 && runs.count == 12) // the fixture's 10 rows plus the hostile pair
        #expect(catalog.contains("<script src=\"../public/atlas.js\"></script>") && catalog.contains("data-catalog=\"../api/v1/catalog.json\""))
        #expect(!catalog.contains("rel=\"next\""))
        // The host files use the published address.
        let sitemap = String(decoding: FileManager.default.contents(atPath: out + "/sitemap.xml")!, as: UTF8.self)
        #expect(sitemap.contains("<loc>https://example.org/atlas/models/</loc>"))
        let robots = String(decoding: FileManager.default.contents(atPath: out + "/robots.txt")!, as: UTF8.self)
        #expect(robots.contains("Sitemap: https://example.org/atlas/sitemap.xml"))
        let notFound = String(decoding: FileManager.default.contents(atPath: out + "/404.html")!, as: UTF8.self)
        #expect(notFound.contains("href=\"https://example.org/atlas/public/style.css\""))
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func aForeignFolderIsRefusedThenKeptAsideAndAnEarlierBuildIsReplaced() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let out = folder + "/site"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        Fixture.write("keep me", to: out + "/notes.txt")
        #expect(throws: StaticBuild.BuildError.self) { try build(site, into: out) }
        #expect(files(under: out) == ["notes.txt"])
        // No temporary folder is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".building-") }.isEmpty)

        // A bad --base-url fails before anything is written.
        #expect(throws: StaticBuild.BuildError.self) { try build(site, into: out, baseURL: "javascript:alert(1)", force: true) }
        #expect(files(under: out) == ["notes.txt"])

        let forced = try build(site, into: out, force: true)
        #expect(forced.setAside == out + ".replaced")
        #expect(files(under: out + ".replaced") == ["notes.txt"])
        #expect(FileManager.default.fileExists(atPath: out + "/index.html"))

        // An earlier build is replaced without --force, and nothing is set aside.
        let again = try build(site, into: out)
        #expect(again.setAside == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [".atlas.sqlite.lock", "atlas.sqlite", "site", "site.replaced"])
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func aDocumentThatFailsLeavesTheEarlierBuildAsItWas() throws {
        let (_, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        // Assets in a copy of the checkout's folders, with a folder inside Public/: it is listed as an asset
        // but cannot be read as one, so that document answers 404 partway through the build.
        let assets = folder + "/assets"
        try FileManager.default.createDirectory(atPath: assets, withIntermediateDirectories: true)
        for name in ["Templates", "Public"] { try FileManager.default.copyItem(atPath: Fixture.repository + "/" + name, toPath: assets + "/" + name) }
        let store = try AtlasDatabase(path: folder + "/atlas.sqlite")
        let site = try Site(db: store, assets: try Assets.locate(explicit: assets), style: ChartStyle(font: Self.font!))
        let out = folder + "/site"
        _ = try build(site, into: out)
        let before = files(under: out).map { ($0, FileManager.default.contents(atPath: out + "/" + $0)) }
        try FileManager.default.createDirectory(atPath: assets + "/Public/broken", withIntermediateDirectories: false)
        #expect {
            try build(site, into: out)
        } throws: { error in
            "\(error)" == "/public/broken answered 404; nothing was written to the target"
        }
        let after = files(under: out).map { ($0, FileManager.default.contents(atPath: out + "/" + $0)) }
        #expect(after.map(\.0) == before.map(\.0))
        #expect(zip(after, before).allSatisfy { $0.1 == $1.1 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".building-") }.isEmpty)
    }
}
