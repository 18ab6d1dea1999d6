import AtlasCharts
import AtlasIngest
@testable import AtlasSite
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// A user's runs in the atlas: labelled, a `source` facet, gains over their base, ranks among the
/// release's runs only, released neighbours, and where each score came from. Expected values are worked
/// out by hand from `Fixture.small` and `UserRunFixture`.
@Suite struct UserRunSiteTests {
    /// The small release with the fixture's runs (or, `withRuns: false`, the same release alone).
    static func site(withRuns: Bool = true) throws -> (Site, String) {
        let folder = Fixture.folder()
        let paths = UserRunFixture.write(in: folder)
        Fixture.write(Fixture.small, to: folder + "/evaluation_result.csv")
        var ingest = Ingest()
        if withRuns {
            ingest.runManifests = [paths.manifest]
            ingest.mapFile = paths.map
        }
        _ = try ingest.run(paths: [folder + "/evaluation_result.csv"], database: folder + "/atlas.sqlite")
        let site = try Site(db: try AtlasDatabase(path: folder + "/atlas.sqlite"), assets: try Assets.locate(explicit: Fixture.repository),
                            style: ChartStyle(font: SiteTests.font!))
        return (site, folder)
    }

    func page(_ site: Site, _ target: String) -> String { String(decoding: SiteTests().get(site, target).body, as: UTF8.self) }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func userRunsSitBesideTheRelease() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        // The source facet: 10 released runs and 5 of the user's.
        let mine = try JSONSerialization.jsonObject(with: Data(SiteTests().get(site, "/api/v1/models.json?source=runs.csv").body)) as! [String: Any]
        #expect(mine["total"] as? Int == 5)
        #expect((mine["rows"] as! [[String: Any]]).allSatisfy { $0["source"] as? String == "runs.csv" })
        #expect(SiteTests().get(site, "/api/v1/models.json?source=release").status == 200)
        let catalog = page(site, "/models/?source=runs.csv")
        #expect(catalog.contains("<span class=\"badge\">yours</span>") && catalog.contains("runs.csv (yours)"))
        // The model page: its name, its gain over the released Qwen base (math 14.5 − 10.0 = +4.5; TruthfulQA
        // 0.09 − 0.05 = +0.040), its rank among the 4 released Qwen runs with a math score (12, 11, 13, 12.5) and
        // itself: first of 5 (it once said "1 of 4", and a run below them all "5 of 4").
        let model = page(site, "/models/my-qwen-sft/")
        #expect(model.contains("<h1>My Qwen SFT (your run)</h1>") && model.contains(">+4.5<") && model.contains(">+0.040<") && model.contains(">1 of 5<"))
        #expect(model.contains("Where each score came from") && model.contains("summary_20250601_120000.csv line 2") && model.contains("config a1b2c3"))
        #expect(!model.contains("Learning rate")) // the study's hyperparameters are not the user's
        // A base of the user's own: gains over it (gsm8k 5-shot 55 − 40 = +15.0). The release has no runs of that
        // base, so there is nothing to rank against: no "1 of 0".
        #expect(page(site, "/models/my-llama/").contains(">+15.0<") && !page(site, "/models/my-llama/").contains(" of 0<"))
        // lm-eval's TruthfulQA in a column the release filled with OpenCompass: warned; its own 5-shot GSM8K column: not.
        let llama = page(site, "/models/my-llama/")
        #expect(llama.contains("truthfulqa_gen bleu_acc,none · 0-shot · results_2025-06-01T12-00-00.json") && llama.contains("⚠ the release used OpenCompass"))
        #expect(llama.components(separatedBy: "⚠").count - 1 == 1)
    }

    /// The home page's lead describes the study: the user's own base, dataset and columns do not change it
    /// (they once made it "12 base models … 11 datasets … 33 columns" for the release's 11, 10 and 30).
    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func theHomePageLeadCountsTheReleaseOnly() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        let (plain, plainFolder) = try Self.site(withRuns: false)
        defer { Fixture.remove(plainFolder) }
        func lead(_ s: Site) -> String {
            let home = page(s, "/")
            guard let start = home.range(of: "EMNLP 2025): "), let end = home.range(of: "</p>", range: start.upperBound..<home.endIndex) else { return "" }
            return String(home[start.upperBound..<end.lowerBound])
        }
        // The small release: 2 bases, 3 datasets, 4 columns (Fixture.small).
        #expect(lead(plain).hasPrefix("2 base models fine-tuned on 3 instruction datasets") && lead(plain).contains("on 4 benchmark columns"), "\(lead(plain))")
        #expect(lead(site) == lead(plain), "\(lead(site)) vs \(lead(plain))")
        // The counts under it include the user's runs: Fixture.small has 8 fine-tuned rows and 2 base rows, and the
        // user fixture adds 4 fine-tuned runs and 1 base row.
        #expect(page(plain, "/").contains("<strong>8</strong> fine-tuned models") && page(plain, "/").contains("<strong>2</strong> base models"))
        #expect(page(site, "/").contains("<strong>12</strong> fine-tuned models") && page(site, "/").contains("<strong>3</strong> base models"))
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func neighboursAndRanksAreTheReleases() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        // My Qwen LoRA (Alpaca, LoRA, 2 epochs): the release's Qwen Alpaca runs and the Qwen base.
        let json = try JSONSerialization.jsonObject(with: Data(SiteTests().get(site, "/api/v1/models/my-qwen-lora.json").body)) as! [String: Any]
        let near = (json["neighbours"] as! [[String: Any]]).map { $0["id"] as! String }
        #expect(Set(near) == ["qwen2.5-7b.alpaca-cleaned.full.1k.cosine.ep10", "qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10", "qwen2.5-7b.base"])
        // A released run's rank ignores the user's runs: the Qwen all-datasets run (math 13.0) is still 1 of 4 on MATH,
        // though the user's 14.5 is higher.
        #expect(page(site, "/models/qwen2.5-7b.all.full.10k.cosine.ep3/").contains(">1 of 4<"))
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func theMapMarksTheUsersRuns() throws {
        let (site, folder) = try Self.site()
        defer { Fixture.remove(folder) }
        // The fixture's 4 fine-tuned user runs (the user's base row is not on a map of fine-tuned models).
        let csv = page(site, "/figures/score-map-base.csv")
        #expect(csv.components(separatedBy: "your runs").count - 1 == 4)
        #expect(page(site, "/figures/score-map-base/").contains("Your runs (black stars)"))
        // Without user runs, the map is the release's alone.
        let (plain, plainFolder) = try SiteTests.site()
        defer { Fixture.remove(plainFolder) }
        #expect(!page(plain, "/figures/score-map-base.csv").contains("your runs") && !page(plain, "/figures/score-map-base/").contains("Your runs"))
    }

    @Test(.enabled(if: SiteTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func theCatalogFiltersByTheAuditsFindings() throws {
        // A base and six full-parameter runs of it; one scores 2.0 on MBPP where the base has 50 and the others
        // 51–56: under half of both, and 48 points (over 10% of the scale) below: the audit's one collapse.
        let rows = [Fixture.header, Fixture.baseRow(0, "Qwen2.5-7B", ["50.0", "10.0", "0.05", "5.0"])]
            + ["alpaca_cleaned", "code_alpaca", "lima", "ultrachat", "math", "magicoder"].enumerated().map { k, d in
                Fixture.tunedRow(k + 1, "Qwen2.5-7B", d, [k == 2 ? "2.0" : "\(51 + k).0", "1\(k).5", "0.0\(k + 1)", "5.\(k)"])
            }
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        try StoreWriter.write(try Fixture.load(rows.joined(separator: "\n") + "\n").0, to: folder + "/atlas.sqlite")
        let site = try Site(db: try AtlasDatabase(path: folder + "/atlas.sqlite"), assets: try Assets.locate(explicit: Fixture.repository),
                            style: ChartStyle(font: SiteTests.font!))
        func ids(_ q: String) throws -> [String] {
            let doc = try JSONSerialization.jsonObject(with: Data(SiteTests().get(site, "/api/v1/models.json?" + q).body)) as! [String: Any]
            return (doc["rows"] as! [[String: Any]]).map { $0["id"] as! String }
        }
        #expect(try ids("findings=yes") == ["qwen2.5-7b.lima.full.1k.cosine.ep10"] && ids("finding=collapsed") == ["qwen2.5-7b.lima.full.1k.cosine.ep10"])
        #expect(try ids("findings=no").count == 6 && ids("findings=no&finding=collapsed").isEmpty && ids("finding=duplicate").isEmpty)
        #expect(SiteTests().get(site, "/api/v1/models.json?finding=bogus").status == 400 && SiteTests().get(site, "/models/?findings=maybe").status == 400)
        // The model page flags the score, and the flag links to the finding, which links to its kind on /quality/.
        let model = String(decoding: SiteTests().get(site, "/models/qwen2.5-7b.lima.full.1k.cosine.ep10/").body, as: UTF8.self)
        #expect(model.contains("<small><a href=\"#finding-1\">⚑ collapsed</a></small>")
                && model.contains("<li id=\"finding-1\"><a href=\"/quality/collapsed/#f-1\">Collapsed scores</a>: "))
        #expect(String(decoding: SiteTests().get(site, "/quality/").body, as: UTF8.self).contains("<table id=\"collapsed\">"))
        // Each kind has its pages, every finding on them anchored; an empty kind says so; others are 404s.
        let kindPage = String(decoding: SiteTests().get(site, "/quality/collapsed/").body, as: UTF8.self)
        #expect(kindPage.contains("<tr id=\"f-1\"><td class=\"num\"><a href=\"/quality/collapsed/#f-1\">1</a></td><td><a href=\"/models/qwen2.5-7b.lima.full.1k.cosine.ep10/\">"))
        #expect(String(decoding: SiteTests().get(site, "/quality/scale/").body, as: UTF8.self).contains("None found."))
        for missing in ["/quality/bogus/", "/quality/collapsed/page/2/", "/quality/collapsed/page/1/", "/quality/collapsed/page/02/"] {
            #expect(SiteTests().get(site, missing).status == 404, "\(missing)")
        }
        // The audit is a facet: counted with every filter but its own (7 runs: 1 flagged, 6 not; the collapse is
        // the only kind), and with another facet's filter (dataset lima: the one run, flagged).
        func form(_ q: String) -> String {
            let html = String(decoding: SiteTests().get(site, "/models/?" + q).body, as: UTF8.self)
            guard let a = html.range(of: "<legend>Audit findings</legend>"), let b = html.range(of: "</fieldset>", range: a.upperBound..<html.endIndex) else { return "" }
            return String(html[a.upperBound..<b.lowerBound])
        }
        for q in ["", "findings=yes", "finding=collapsed&findings=no"] {
            let f = form(q)
            #expect(f.contains("> any <span class=\"count\">7</span>") && f.contains("> flagged <span class=\"count\">1</span>")
                    && f.contains("> not flagged <span class=\"count\">6</span>") && f.contains("Collapsed scores <span class=\"count\">1</span>")
                    && !f.contains("Duplicated results"), "\(q): \(f)")
        }
        let lima = form("dataset=lima")
        #expect(lima.contains("> flagged <span class=\"count\">1</span>") && lima.contains("> not flagged <span class=\"count\">0</span>"), "\(lima)")
        let none = form("q=alpaca")
        #expect(none.contains("> flagged <span class=\"count\">0</span>") && !none.contains("Collapsed scores"), "\(none)")
    }
}
