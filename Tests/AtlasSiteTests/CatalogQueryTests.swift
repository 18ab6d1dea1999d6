import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// The catalog's search, numeric filters, average and gains, through the API, against values worked out by
/// hand from `Fixture.small` + `Fixture.hostile` (12 runs; the four columns are mbpp-4shot and math-0shot in
/// percent, truthfulqa-0shot as a 0–1 fraction, mtbench-total as a 1–10 rating).
@Suite struct CatalogQueryTests {
    /// All four columns, so the average is (mbpp + math + truthfulqa × 100 + mtbench × 10) / 4.
    static let all = "cols=mbpp-4shot,math-0shot,truthfulqa-0shot,mtbench-total"

    func json(_ site: Site, _ target: String) throws -> [String: Any] {
        let r = SiteTests().get(site, target)
        try #require(r.status == 200, "\(target): \(r.status) \(String(decoding: r.body, as: UTF8.self))")
        return try JSONSerialization.jsonObject(with: Data(r.body)) as! [String: Any]
    }
    func ids(_ doc: [String: Any]) -> [String] { (doc["rows"] as! [[String: Any]]).map { $0["id"] as! String } }
    func total(_ site: Site, _ query: String) throws -> Int { try json(site, "/api/v1/models.json?" + query)["total"] as! Int }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func searchANDsItsWordsOverIdsAndNames() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        // qwen + lora: only qwen2.5-7b.alpaca-cleaned.lora…; olmo: the base and its 3 runs; alpaca: 4 alpaca-cleaned
        // runs and code-alpaca; ep3: the all-datasets run; "(cleaned)" is only in the dataset's display name.
        for (q, expected) in [("qwen%20lora", 1), ("QWEN%20LoRA", 1), ("olmo", 4), ("alpaca", 5), ("ep3", 1), ("(cleaned)", 4), ("qwen%20lora%20ep3", 0), ("%20%20", 12)] {
            #expect(try total(site, "q=" + q) == expected, "q=\(q)")
        }
        #expect(ids(try json(site, "/api/v1/models.json?q=qwen%20lora")) == ["qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10"])
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func numericFiltersCompareTheShownValue() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        // math ≥ 12: 12.0, 13.0, 12.5 (runs 1, 4, 5); > 12: two of them; missing: run 2 only; mbpp < 20: 19, 1, 2.
        #expect(try total(site, "math-0shot__gte=12") == 3)
        #expect(try total(site, "math-0shot__gt=12") == 2)
        #expect(try total(site, "math-0shot__isnull=1") == 1 && total(site, "math-0shot__isnull=0") == 11)
        #expect(try total(site, "mbpp-4shot__lt=20") == 3 && total(site, "mbpp-4shot__lte=19") == 3 && total(site, "mbpp-4shot__lt=19") == 2)
        #expect(try total(site, "math-0shot__gte=12&math-0shot__lte=12.5") == 2)
        // Averages over the four columns: runs 1, 4, 5 average 34.125, 35.5 and 34.875; the rest are below 30.
        #expect(try total(site, "average__gte=30&" + Self.all) == 3)
        // With view=gain the bounds read gains: math gains 2, 3, 2.5 (Qwen) and 5 (OLMo math) are ≥ 2.
        #expect(try total(site, "view=gain&math-0shot__gte=2") == 4)
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func averageIsTheNormalizedMeanAndSorts() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let doc = try json(site, "/api/v1/models.json?sort=average&order=desc&" + Self.all)
        let rows = doc["rows"] as! [[String: Any]]
        // By hand: all.full (55+13+6+68)/4 = 35.5; w/o-lima (54+12.5+6+67)/4 = 34.875; alpaca full (52.5+12+7+65)/4 = 34.125;
        // the Qwen base (50+10+5+50)/4 = 28.75. Runs missing a column (alpaca LoRA: math; code-alpaca: truthfulqa) come last.
        #expect(rows.prefix(4).map { $0["average"] as? Double } == [35.5, 34.875, 34.125, 28.75])
        #expect(ids(doc).prefix(3) == ["qwen2.5-7b.all.full.10k.cosine.ep3", "qwen2.5-7b.wo-lima.full.9k.cosine.ep10", "qwen2.5-7b.alpaca-cleaned.full.1k.cosine.ep10"])
        #expect(rows.suffix(2).allSatisfy { $0["average"] is NSNull })
        #expect(Set(ids(doc).suffix(2)) == ["qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10", "qwen2.5-7b.code-alpaca.full.1k.cosine.ep10"])
        // Ascending: OLMo's base (20+3+3+30)/4 = 14 is the lowest of OLMo; the hostile base (1+1+1+10)/4 = 3.25 the lowest of all.
        let up = try json(site, "/api/v1/models.json?sort=average&order=asc&limit=2&" + Self.all)["rows"] as! [[String: Any]]
        #expect(up.map { $0["average"] as? Double } == [3.25, 6.5])
        // The CSV has the average last.
        let csv = String(decoding: SiteTests().get(site, "/api/v1/models.csv?sort=average&order=desc&limit=1&" + Self.all).body, as: UTF8.self)
        #expect(csv.split(separator: "\r\n")[1].hasSuffix(",55,13,0.06,6.8,35.5"))
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func gainViewShowsGainsOverTheBaseWithoutFloatNoise() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let doc = try json(site, "/api/v1/models.json?view=gain&sort=average&order=desc&" + Self.all)
        #expect(doc["view"] as? String == "gain")
        let rows = doc["rows"] as! [[String: Any]]
        // all.full over the Qwen base: 55−50, 13−10, 0.06−0.05, 6.8−5 = 5, 3, 0.01, 1.8; average (5+3+1+18)/4 = 6.75.
        // 0.06 − 0.05 is 0.009999999999999995 in doubles: the API gives 0.01.
        #expect(rows[0]["id"] as? String == "qwen2.5-7b.all.full.10k.cosine.ep3")
        let g = rows[0]["gains"] as! [String: Any]
        #expect(g["mbpp-4shot"] as? Double == 5 && g["math-0shot"] as? Double == 3 && g["truthfulqa-0shot"] as? Double == 0.01 && g["mtbench-total"] as? Double == 1.8)
        // Then w/o-lima (4+2.5+1+17)/4 = 6.125, alpaca full (2.5+2+2+15)/4 = 5.375, the hostile run (1+1+1+10)/4 = 3.25,
        // OLMo alpaca (1+1−1+10)/4 = 2.75, OLMo math (2+5+0+2)/4 = 2.25, OLMo alpaca 20k (−1+0.5+1+5)/4 = 1.375.
        #expect(rows.prefix(7).map { $0["average"] as? Double } == [6.75, 6.125, 5.375, 3.25, 2.75, 2.25, 1.375])
        // Base rows have no gain; with the two runs missing a column they come last.
        #expect(rows.suffix(5).allSatisfy { $0["average"] is NSNull })
        let text = String(decoding: SiteTests().get(site, "/api/v1/models.json?view=gain&" + Self.all).body, as: UTF8.self)
        #expect(!text.contains("0000000") && !text.contains("9999999"), "float noise in the gain view")
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func badValuesAre400sNamingTheParameter() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        let long = String(repeating: "a", count: 201), wide = String(repeating: "%C3%A9", count: 201)
        for (query, parameter) in [("q=" + long, "q"), ("q=" + wide, "q"), ("q=\(long.prefix(150))&q=\(long.prefix(60))", "q"), ("q=a%0Fb", "q"), ("view=table", "view"), ("sort=averages", "sort"),
                                   ("math-0shot__between=1", "math-0shot__between"), ("math-0shot__gte=0x10", "math-0shot__gte"),
                                   ("math-0shot__gte=nan", "math-0shot__gte"), ("math-0shot__gte=1e10", "math-0shot__gte"),
                                   ("math-0shot__gte=1,5", "math-0shot__gte"), ("math-0shot__isnull=2", "math-0shot__isnull"),
                                   ("nope__gte=1", "nope__gte"), ("__gte=1", "__gte")] {
            for path in ["/api/v1/models.json", "/models/"] {
                let r = SiteTests().get(site, path + "?" + query)
                #expect(r.status == 400, "\(path)?\(query)")
                #expect(String(decoding: r.body, as: UTF8.self).contains(parameter), "\(path)?\(query) does not name \(parameter)")
            }
        }
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func spellingsOfOneViewShareOneTarget() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        func q(_ s: String) -> [(name: String, value: String)] {
            s.split(separator: "&").map { p in let kv = p.split(separator: "=", maxSplits: 1).map(String.init); return (kv[0], kv.count > 1 ? kv[1] : "") }
        }
        let target = site.canonicalTarget(path: "/api/v1/models.json", query: q("view=gain&math-0shot__gte=12.0&q=Qwen  LORA&sort=average&order=desc&average__lt=90"))
        #expect(target == "/api/v1/models.json?q=qwen%20lora&average__lt=90&math-0shot__gte=12&view=gain&sort=average&order=desc")
        // A form's empty boxes are no filter.
        #expect(site.canonicalTarget(path: "/models/", query: q("q=&sort=&view=&math-0shot__gte=&average__lte=")) == "/models/")
        #expect(site.canonicalTarget(path: "/models/", query: q("view=scores&order=asc")) == "/models/")
    }
}

/// One scale per column on the pages: each score in its unit's decimals, averages normalized.
@Suite struct ScaleTests {
    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func pagesShowEachColumnInItsUnit() throws {
        let (site, folder) = try SiteTests.site()
        defer { Fixture.remove(folder) }
        func page(_ path: String) -> String { String(decoding: SiteTests().get(site, path).body, as: UTF8.self) }
        // The Qwen alpaca full run: TruthfulQA 0.07 over 0.05 reads 0.070, 0.050, +0.020 (3 decimals, not "0.1");
        // MT-Bench 6.5 over 5.0 reads 6.50, 5.00, +1.50; MBPP 52.5 over 50.0 reads 52.5, 50.0, +2.5.
        let model = page("/models/qwen2.5-7b.alpaca-cleaned.full.1k.cosine.ep10/")
        for cell in [">0.070<", ">0.050<", ">+0.020<", ">6.50<", ">5.00<", ">+1.50<", ">52.5<", ">50.0<", ">+2.5<"] {
            #expect(model.contains(cell), "model page lacks \(cell)")
        }
        // The base page's leaderboard averages the fixture's main columns (math, TruthfulQA, MT-Bench), normalized:
        // the alpaca full run (12 + 0.07×100 + 6.5×10) / 3 = 28.0; all.full (13 + 6 + 68) / 3 = 29.0.
        let base = page("/bases/qwen2.5-7b/")
        #expect(base.contains(">28.0<") && base.contains(">29.0<"))
        // The catalog shows the same: TruthfulQA as 0.070, and the average of the three main columns.
        let catalog = page("/models/?base=qwen2.5-7b&method=full&sort=average&order=desc")
        #expect(catalog.contains(">0.070<") && catalog.contains(">29.0<") && catalog.contains("aria-sort=\"descending\""))
    }
}
