import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// The read side, over a database built from `Fixture.small` (see that file for the values used below).
@Suite final class QueryTests {
    let path: String
    let db: AtlasDatabase

    init() throws {
        path = try Fixture.database()
        db = try AtlasDatabase(path: path)
    }

    /// Each test has its own instance, and so its own database folder: removed when the test ends.
    deinit { Fixture.remove((path as NSString).deletingLastPathComponent) }

    private func ids(_ filter: RunFilter, _ sort: RunSort = RunSort(), limit: Int = 50, offset: Int = 0) throws -> [String] {
        try db.runs(filter, sort: sort, limit: limit, offset: offset).rows.map(\.run.id)
    }

    @Test func unfilteredListingIsCanonical() throws {
        let page = try db.runs(RunFilter())
        #expect(page.total == 10)
        #expect(page.rows.first?.run.id == "qwen2.5-7b.base")
        #expect(page.rows.map(\.run.id).last == "olmo-7b.math.lora.1k.cosine.ep10")
    }

    @Test func filtersCombineOrWithinAndAcross() throws {
        #expect(try db.count(RunFilter([.method: ["lora"]])) == 2)
        #expect(try db.count(RunFilter([.base: ["olmo-7b"], .method: ["full"]])) == 2)
        // alpaca_cleaned: Qwen full and LoRA, OLMo 1k and 20k; math: OLMo LoRA.
        #expect(try db.count(RunFilter([.dataset: ["alpaca-cleaned", "math"]])) == 5)
        #expect(try db.count(RunFilter([.dataset: ["none"]])) == 2)
        #expect(try db.count(RunFilter([.epochs: ["2", "3"]])) == 2)
        #expect(try db.count(RunFilter([.samples: ["20000"]])) == 1)
        #expect(try db.count(RunFilter([.schedule: ["constant"]])) == 1)
        #expect(try db.count(RunFilter([.base: ["no-such-base"]])) == 0)
        #expect(try ids(RunFilter([.base: ["qwen2.5-7b"], .method: ["lora"]])) == ["qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10"])
    }

    @Test func sortByScoreBothWaysWithMissingLast() throws {
        // math-0shot for Qwen runs: base 10, alpaca full 12, alpaca lora missing, code 11, all 13, wo-lima 12.5.
        let qwen = RunFilter([.base: ["qwen2.5-7b"]])
        let up = try ids(qwen, RunSort(.score("math-0shot")))
        #expect(up == ["qwen2.5-7b.base", "qwen2.5-7b.code-alpaca.full.1k.cosine.ep10", "qwen2.5-7b.alpaca-cleaned.full.1k.cosine.ep10",
                       "qwen2.5-7b.wo-lima.full.9k.cosine.ep10", "qwen2.5-7b.all.full.10k.cosine.ep3",
                       "qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10"])
        let down = try ids(qwen, RunSort(.score("math-0shot"), descending: true))
        #expect(down == Array(up.dropLast().reversed()) + [up.last!])
        // Paging through the same order: two at a time reaches the missing run on the third page.
        #expect(try ids(qwen, RunSort(.score("math-0shot"), descending: true), limit: 2, offset: 4) == Array(down[4...5]))
    }

    @Test func sortByDimension() throws {
        let byEpochs = try ids(RunFilter([.base: ["olmo-7b"]]), RunSort(.dimension(.epochs), descending: true))
        #expect(byEpochs == ["olmo-7b.math.lora.1k.cosine.ep10", "olmo-7b.alpaca-cleaned.full.1k.cosine.ep10",
                             "olmo-7b.alpaca-cleaned.full.20k.constant.ep2", "olmo-7b.base"])
        // Base rows have no dataset: they come last in either direction.
        #expect(try ids(RunFilter([.base: ["olmo-7b"]]), RunSort(.dimension(.dataset))).last == "olmo-7b.base")
        #expect(try ids(RunFilter([.base: ["olmo-7b"]]), RunSort(.dimension(.dataset), descending: true)).last == "olmo-7b.base")
    }

    @Test func pageCarriesRequestedScores() throws {
        let page = try db.runs(RunFilter([.base: ["qwen2.5-7b"], .dataset: ["alpaca-cleaned"]]), columnIDs: ["math-0shot", "mbpp-4shot"])
        #expect(page.rows.count == 2)
        let lora = try #require(page.rows.first { $0.run.key.method == .lora })
        #expect(lora.scores["mbpp-4shot"] == .some(49.0))
        #expect(lora.scores["math-0shot"] == .some(nil))
        #expect(lora.scores["mtbench-total"] == nil)
    }

    @Test func facetsIgnoreTheirOwnFilter() throws {
        let facets = try db.facets(RunFilter([.base: ["olmo-7b"], .method: ["full"]]))
        let byDim = Dictionary(uniqueKeysWithValues: facets.map { ($0.dimension, $0.values) })
        // Base counts apply only the method filter: full runs are Qwen 4 (alpaca, code, all, wo-lima), OLMo 2.
        #expect(byDim[.base]!.map { "\($0.value)=\($0.count)\($0.selected ? "*" : "")" } == ["qwen2.5-7b=4", "olmo-7b=2*"])
        // Method counts apply only the base filter: OLMo has 1 base row, 2 full, 1 LoRA.
        #expect(byDim[.method]!.map { "\($0.value)=\($0.count)" } == ["none=1", "full=2", "lora=1"])
        #expect(byDim[.samples]!.map { "\($0.value)=\($0.count)" } == ["1000=1", "20000=1"])
    }

    @Test func runDetailGainsOverTheBase() throws {
        // Assembled as the site assembles it: from the rows of every run and the base model's row.
        let rows = Dictionary(uniqueKeysWithValues: try db.runs(RunFilter(), limit: Int.max).rows.map { ($0.run.id, $0) })
        func assemble(_ id: String) throws -> RunDetail {
            let row = try #require(rows[id])
            return try #require(RunDetail(row: row, baseScores: rows[RunKey(baseID: row.run.key.baseID, datasetID: nil, method: nil, epochs: 0, samples: 0, schedule: nil).id]?.scores, in: db))
        }
        let detail = try assemble("qwen2.5-7b.alpaca-cleaned.full.1k.cosine.ep10")
        #expect(detail.base.id == "qwen2.5-7b" && detail.dataset?.id == "alpaca-cleaned")
        let byColumn = Dictionary(uniqueKeysWithValues: detail.scores.map { ($0.column.id, $0) })
        // Gains by hand: 52.5 − 50.0 = 2.5; 12.0 − 10.0 = 2.0; 0.07 − 0.05 = 0.02; 6.5 − 5.0 = 1.5.
        #expect(byColumn["mbpp-4shot"]?.gain == 2.5)
        #expect(byColumn["math-0shot"]?.gain == 2.0)
        #expect(abs(byColumn["truthfulqa-0shot"]!.gain! - 0.02) < 1e-12)
        #expect(byColumn["mtbench-total"]?.gain == 1.5)
        // A missing value has no gain (code_alpaca's TruthfulQA cell is empty).
        let code = try assemble("qwen2.5-7b.code-alpaca.full.1k.cosine.ep10")
        let t = try #require(code.scores.first { $0.column.id == "truthfulqa-0shot" })
        #expect(t.value == nil && t.baseValue == 0.05 && t.gain == nil)
        // A base row has no gains.
        let base = try assemble("olmo-7b.base")
        #expect(base.scores.count == 4 && base.scores.allSatisfy { $0.gain == nil && $0.baseValue == nil })
        // A run whose base model is not in the registry has no detail.
        var orphan = try #require(rows["olmo-7b.base"])
        orphan.run.key.baseID = "nope"
        #expect(RunDetail(row: orphan, baseScores: nil, in: db) == nil)
    }

    @Test func registriesAndGrid() throws {
        #expect(db.bases.map(\.id) == ["qwen2.5-7b", "olmo-7b"])
        #expect(db.bases.first?.family == "Qwen2.5")
        let hyper = try db.hyperparameters()
        #expect(hyper.map(\.method) == [.full, .lora])
        #expect(hyper[0].learningRate == 1e-5 && hyper[0].batchSize == 32 && hyper[1].learningRate == 2e-6 && hyper[1].batchSize == 128)
        #expect(hyper.allSatisfy { $0.weightDecay == 0 && $0.epochs == 10 && $0.promptTemplate == "###Question: {instruction}\n###Answer: {response}" })
        #expect(try db.gridCells().filter(\.present).count == 7)
        #expect(try db.provenance().first?.rows == 10)
        #expect(try !db.isSynthetic())
    }
}
