import AtlasIngest
import AtlasStore
import AtlasTestSupport
import Testing

@Suite struct DemoTests {
    @Test func deterministicForASeed() {
        #expect(DemoData.csv(seed: 7) == DemoData.csv(seed: 7))
        #expect(DemoData.csv(seed: 7) != DemoData.csv(seed: 8))
    }

    @Test func sameShapeAsTheReleaseAndMarkedSynthetic() throws {
        var ingest = Ingest()
        ingest.analyses = false
        let (r, warnings) = try ingest.load(files: [(DemoData.fileName, DemoData.csv())], synthetic: true)
        #expect(warnings.isEmpty)
        #expect(r.provenance.count == 1 && r.provenance.allSatisfy { $0.synthetic })
        #expect(r.bases.count == 11 && r.datasets.count == 21 && r.columns.count == 30)
        #expect(Set(r.runs.compactMap(\.key.method)) == [.full, .lora])
        #expect(Set(r.runs.map(\.key.samples)) == [0, 1000, 9000, 10_000, 20_000])
        #expect(Set(r.runs.compactMap(\.key.schedule)) == [.cosine, .constant])
        #expect(Set(r.runs.map(\.key.epochs)) == Set(0...10))
        // Every value lies on its column's scale.
        for (c, column) in r.columns.enumerated() {
            for i in r.runs.indices {
                let v = r.score(run: i, column: c)
                if v.isNaN { continue }
                #expect(v >= column.scaleMin! - 1e-9 && v <= column.scaleMax! + 1e-9, "\(column.id) = \(v)")
            }
        }
    }
}

@Suite struct DemoUserRunTests {
    /// A fresh clone's demo shows a user's runs: three, from an OpenCompass summary and an lm-eval file.
    @Test func theDemoHasSyntheticUserRuns() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        _ = try DemoDatabase.write(seed: 7, to: folder + "/demo.sqlite")
        let db = try AtlasDatabase(path: folder + "/demo.sqlite")
        let runs = try db.runs(RunFilter([.source: ["synthetic-runs.csv"]]), limit: 10).rows.map(\.run)
        #expect(runs.map(\.id).sorted() == ["demo-llama-sft", "demo-mistral-lm-eval", "demo-qwen-lora"])
        #expect(runs.allSatisfy { $0.label != nil })
        let sources = try db.scoreSources()
        #expect(Set(sources.map(\.tool)) == ["opencompass", "lm-eval"])
        // lm-eval's 5-shot GSM8K makes its own column; its fraction ×100.
        #expect(sources.contains { $0.tool == "lm-eval" && db.columns[$0.column].id == "gsm8k-5shot" && $0.scale == 100 })
        #expect(try db.provenance().allSatisfy(\.synthetic))
        // Synthetic side tables: Figs. 4a and 5 are drawn, and the two claims they bear on have verdicts.
        #expect(try db.provenance().map(\.fileName).suffix(2) == [SyntheticSideTables.perplexityFile, SyntheticSideTables.weightsFile])
        #expect(try db.analysis("perplexity") != nil && db.analysis("weight-change") != nil && db.analysis("dataset-length") != nil)
        let claims = try #require(try db.analysis("claims"))
        #expect(!claims.contains("not checkable"), "\(claims.prefix(600))")
    }
}
