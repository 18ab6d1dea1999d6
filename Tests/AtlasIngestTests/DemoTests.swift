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
