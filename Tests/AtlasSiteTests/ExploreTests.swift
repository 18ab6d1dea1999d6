import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// The scatter explorer: every matching model with both values is one point, named and linked.
@Suite struct ExploreTests {
    func text(_ site: Site, _ target: String) -> (Int, String) {
        let r = SiteTests().get(site, target)
        return (r.status, String(decoding: r.body, as: UTF8.self))
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func pointsAreTheMatchingModelsWithBothValues() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        // mbpp-4shot against math-0shot: of the 12 runs only the Qwen alpaca LoRA run lacks math, so 11 points;
        // with method=full, the 6 full runs (alpaca, code-alpaca, all, w/o-lima for Qwen; alpaca ×2 for OLMo)
        // plus the hostile run, all with both values: 7.
        let (status, page) = text(site, "/explore/?x=mbpp-4shot&y=math-0shot")
        #expect(status == 200 && page.contains("11 of 12 matching models plotted"))
        #expect(page.components(separatedBy: "<area ").count - 1 == 11)
        #expect(page.contains("href=\"/models/qwen2.5-7b.all.full.10k.cosine.ep3/\" alt=\"qwen2.5-7b.all.full.10k.cosine.ep3\""))
        // The hostile base's name never reaches the page as markup.
        #expect(!page.contains("<script>alert"))
        let full = text(site, "/explore/?x=mbpp-4shot&y=math-0shot&method=full").1
        #expect(full.contains("7 of 7 matching models plotted"))
        // The CSV: a header and one row per point, with the colour facet's label.
        let csv = text(site, "/explore/chart.csv?x=mbpp-4shot&y=math-0shot&method=full").1.split(separator: "\r\n")
        #expect(csv.first == "id,mbpp-4shot,math-0shot,base" && csv.count == 8)
        #expect(csv.contains("qwen2.5-7b.all.full.10k.cosine.ep3,55,13,Qwen2.5-7B"))
        let png = SiteTests().get(site, "/explore/chart.png?x=mbpp-4shot&y=average")
        #expect(png.status == 200 && png.contentType == "image/png" && png.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func badAxesAndSortingAreRefused() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        for (q, parameter) in [("x=nope", "x"), ("y=<b>", "y"), ("color=colour", "color"), ("sort=average", "sort"), ("page=2", "page"), ("method=none2", "method")] {
            let (status, body) = text(site, "/explore/?" + q)
            #expect(status == 400 && body.contains(parameter), "\(q)")
        }
    }
}

@Suite struct FaviconTests {
    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func theIconIsServedByTheNameBrowsersAskFor() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let icon = SiteTests().get(site, "/favicon.ico")
        // A PNG signature, then IHDR with width and height 32 (big-endian at bytes 16–23).
        #expect(icon.status == 200 && icon.contentType == "image/png" && icon.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(Array(icon.body[16..<24]) == [0, 0, 0, 32, 0, 0, 0, 32])
        #expect(site.routes().contains { $0.route == .favicon })
    }
}

@Suite struct CompareNoticeTests {
    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func aComparisonThatCannotBeMadeKeepsItsChooser() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let r = SiteTests().get(site, "/compare/?ids=qwen2.5-7b.base")
        let html = String(decoding: r.body, as: UTF8.self)
        #expect(r.status == 400 && html.contains("id=\"compare-ids\"") && html.contains("role=\"alert\">The parameter &#39;ids&#39; cannot be &#39;qwen2.5-7b.base&#39;; expected 2 to 8 model ids"))
    }
}

/// The audit's page and documents.
@Suite struct QualityPageTests {
    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func findingsAreListedAndDownloadable() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let page = String(decoding: SiteTests().get(site, "/quality/").body, as: UTF8.self)
        // Every kind has its table and rule; the fixture plans runs it does not have, so plan gaps are found.
        for title in ["Duplicated results:", "Collapsed scores:", "Incomplete blocks:", "Scale violations:", "Plan gaps:"] {
            #expect(page.contains(title), "\(title)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(SiteTests().get(site, "/api/v1/quality.json").body)) as! [String: Any]
        let findings = json["findings"] as! [[String: Any]]
        let gaps = findings.filter { $0["kind"] as? String == "plan-gap" }.count
        #expect(gaps > 0 && page.contains("Plan gaps: \(gaps)"))
        let csv = String(decoding: SiteTests().get(site, "/api/v1/quality.csv").body, as: UTF8.self).split(separator: "\r\n")
        #expect(csv.first == "kind,runs,columns,detail,explained,evidence" && csv.count == findings.count + 1)
    }
}
