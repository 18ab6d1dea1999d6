@testable import AtlasIngest
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// Every normalization rule of the released CSV, each on a fixture written here.
@Suite struct NormalizationTests {
    private func load(_ text: String = Fixture.small) throws -> ResultSet { try Fixture.load(text).0 }

    private func value(_ r: ResultSet, run id: String, column: String) -> Double? {
        let i = r.runs.firstIndex { $0.id == id }!
        let c = r.columns.firstIndex { $0.sourceName == column }!
        let v = r.score(run: i, column: c)
        return v.isNaN ? nil : v
    }

    @Test func pandasIndexColumnIsIgnored() throws {
        let r = try load()
        #expect(r.columns.map(\.sourceName).sorted() == ["Truthful_QA-0shot", "math-0shot", "mbpp_4shot", "mtbench-total"])
    }

    @Test func baseRowsBecomeBaseRuns() throws {
        let r = try load()
        let base = try #require(r.runs.first { $0.id == "qwen2.5-7b.base" })
        #expect(base.key.isBase && base.key.method == nil && base.key.schedule == nil && base.key.epochs == 0 && base.key.samples == 0)
        // `None` and empty cells are both accepted for lora and lr_strategy on base rows.
        let text = [Fixture.header,
                    Fixture.row(0, "Qwen2.5-7B", "pretrain", ["1", "2", "0.1", "3"], lora: "", epoch: "0", size: "0.0", schedule: ""),
                    Fixture.row(1, "OLMo-7B-hf", "pretrain", ["1", "2", "0.1", "3"], lora: "None", epoch: "0", size: "0.0", schedule: "")]
            .joined(separator: "\n")
        #expect(try load(text).runs.map(\.id) == ["qwen2.5-7b.base", "olmo-7b.base"])
    }

    @Test func loraValuesMapToMethods() throws {
        let r = try load()
        #expect(r.runs.first { $0.id == "qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10" }?.key.method == .lora)
        #expect(r.runs.first { $0.id == "qwen2.5-7b.alpaca-cleaned.full.1k.cosine.ep10" }?.key.method == .full)
        // Capitalized booleans (pandas' bool dtype) are the same values.
        let text = [Fixture.header, Fixture.row(0, "Qwen2.5-7B", "lima", ["1", "2", "0.1", "3"], lora: "True", epoch: "1", size: "1000.0", schedule: "cosine")]
            .joined(separator: "\n")
        #expect(try load(text).runs.first?.key.method == .lora)
    }

    @Test func floatTextSizesAndEpochsBecomeIntegers() throws {
        let text = [Fixture.header, Fixture.row(0, "Qwen2.5-7B", "lima", ["1", "2", "0.1", "3"], lora: "false", epoch: "10.0", size: "20000.0", schedule: "constant")]
            .joined(separator: "\n")
        let key = try #require(try load(text).runs.first?.key)
        #expect(key.epochs == 10 && key.samples == 20_000 && key.schedule == .constant)
    }

    @Test func runIDsAreStableAndURLSafe() throws {
        let ids = Set(try load().runs.map(\.id))
        #expect(ids == [
            "qwen2.5-7b.base", "qwen2.5-7b.alpaca-cleaned.full.1k.cosine.ep10", "qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10",
            "qwen2.5-7b.code-alpaca.full.1k.cosine.ep10", "qwen2.5-7b.all.full.10k.cosine.ep3",
            "qwen2.5-7b.wo-lima.full.9k.cosine.ep10", "olmo-7b.base", "olmo-7b.alpaca-cleaned.full.1k.cosine.ep10",
            "olmo-7b.alpaca-cleaned.full.20k.constant.ep2", "olmo-7b.math.lora.1k.cosine.ep10",
        ])
        for id in ids { #expect(id.allSatisfy { $0.isLetter && $0.isLowercase || $0.isNumber || $0 == "." || $0 == "-" }) }
    }

    @Test func datasetKinds() throws {
        let r = try load()
        let byID = Dictionary(uniqueKeysWithValues: r.datasets.map { ($0.id, $0) })
        #expect(byID["all"]?.kind == .all)
        #expect(byID["wo-lima"]?.kind == .leaveOneOut && byID["wo-lima"]?.leftOut == "lima")
        #expect(byID["math"]?.displayName == "MathInstruct" && byID["math"]?.category == "math")
        #expect(r.runs.first { $0.id == "qwen2.5-7b.wo-lima.full.9k.cosine.ep10" }?.isLeaveOneOut == true)
        #expect(r.runs.filter(\.isLeaveOneOut).count == 1)
    }

    @Test func emptyScoreIsMissingNotZero() throws {
        let r = try load()
        #expect(value(r, run: "qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10", column: "math-0shot") == nil)
        #expect(value(r, run: "qwen2.5-7b.alpaca-cleaned.lora.1k.cosine.ep10", column: "mbpp_4shot") == 49.0)
        // `nan` and `None` cells are missing too.
        let text = [Fixture.header, Fixture.tunedRow(0, "Qwen2.5-7B", "lima", ["nan", "None", "0.1", "3"])].joined(separator: "\n")
        let s = try load(text)
        #expect(value(s, run: "qwen2.5-7b.lima.full.1k.cosine.ep10", column: "mbpp_4shot") == nil)
        #expect(value(s, run: "qwen2.5-7b.lima.full.1k.cosine.ep10", column: "math-0shot") == nil)
    }

    @Test func columnMetadata() throws {
        let r = try load()
        let byName = Dictionary(uniqueKeysWithValues: r.columns.map { ($0.sourceName, $0) })
        let mbpp = try #require(byName["mbpp_4shot"])
        #expect(mbpp.id == "mbpp-4shot" && mbpp.benchmark == "mbpp" && mbpp.shots == 4 && mbpp.category == "coding" && !mbpp.isMain)
        let truthful = try #require(byName["Truthful_QA-0shot"])
        #expect(truthful.unit == .fraction && truthful.scaleMax == 1 && truthful.isMain && truthful.benchmarkName == "TruthfulQA")
        let mt = try #require(byName["mtbench-total"])
        #expect(mt.unit == .rating && mt.shots == nil && mt.scaleMin == 1 && mt.scaleMax == 10 && mt.isMain)
        // Main columns come first, in the paper's order: MATH before TruthfulQA before MT-Bench.
        #expect(r.columns.map(\.sourceName) == ["math-0shot", "Truthful_QA-0shot", "mtbench-total", "mbpp_4shot"])
    }

    @Test func unknownColumnIsIngestedWithAWarning() throws {
        let text = ",model_name,data_name,newbench-3shot,lora,epoch,data_size,lr_strategy\n0,Qwen2.5-7B,lima,1.5,false,1,1000.0,cosine\n"
        let (r, warnings) = try Fixture.load(text)
        let column = try #require(r.columns.first)
        #expect(column.id == "newbench-3shot" && column.shots == 3 && !column.registered && column.unit == .unknown)
        #expect(warnings.count == 1 && warnings[0].contains("newbench-3shot"))
    }

    @Test func unknownBaseAndDatasetAreIngestedWithWarnings() throws {
        let text = [Fixture.header, Fixture.tunedRow(0, "Phi-3 Mini", "my_set", ["1", "2", "0.1", "3"])].joined(separator: "\n")
        let (r, warnings) = try Fixture.load(text)
        #expect(r.runs.first?.id == "phi-3-mini.my-set.full.1k.cosine.ep10")
        #expect(r.bases.first?.registered == false && r.datasets.first?.registered == false)
        #expect(warnings.count == 2)
        // Each warning names where the name first appears; nothing registered is close to these two.
        #expect(warnings.allSatisfy { $0.hasPrefix("fixture.csv:2: ") && !$0.contains("did you mean") }, "\(warnings)")
    }

    /// A misspelt name gets the registered one it most likely meant.
    @Test func aMisspeltNameGetsASuggestion() throws {
        let text = [Fixture.header, Fixture.tunedRow(0, "Qwen2.5-7B", "alpaca", ["1", "2", "0.1", "3"]),
                    Fixture.tunedRow(1, "Qwen-2.5-7B", "code-alpca", ["1", "2", "0.1", "3"])].joined(separator: "\n")
        let (_, warnings) = try Fixture.load(text)
        // 'alpaca' starts 'alpaca_cleaned'; 'code-alpca' is one letter from 'code_alpaca' ('-' and '_' alike);
        // 'Qwen-2.5-7B' has one letter more than 'Qwen2.5-7B'.
        #expect(warnings.contains("fixture.csv:2: dataset 'alpaca' is not in the registry (did you mean 'alpaca_cleaned'?); ingested as 'alpaca' with unknown category and source"), "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("fixture.csv:3: dataset 'code-alpca' is not in the registry (did you mean 'code_alpaca'?)") })
        #expect(warnings.contains { $0.hasPrefix("fixture.csv:3: base model 'Qwen-2.5-7B' is not in the registry (did you mean 'Qwen2.5-7B'?)") })
        // Levenshtein by hand: kitten → sitting is 3 (k→s, e→i, +g); flaw → lawn is 2.
        #expect(Suggestion.distance(Array("kitten"), Array("sitting")) == 3 && Suggestion.distance(Array("flaw"), Array("lawn")) == 2)
        #expect(Suggestion.distance([], Array("abc")) == 3 && Suggestion.distance(Array("abc"), []) == 3)
        #expect(Suggestion.closest("zzz", among: ["lima", "math"]) == nil)
        // A longer name is not matched to a shorter one it starts with, and the union 'all' is no candidate.
        #expect(Suggestion.closest("allenai-tulu", among: DatasetRegistry.singles.map(\.sourceName)) == nil)
        #expect(Suggestion.closest("Qwen2.5-7B-Instruct", among: BaseRegistry.all.map(\.sourceName)) == nil)
    }

    @Test func runsAreInCanonicalOrderWhateverTheFileOrder() throws {
        let lines = Fixture.small.split(separator: "\n").map(String.init)
        let shuffled = ([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\n")
        #expect(try load(shuffled).runs.map(\.id) == (try load().runs.map(\.id)))
        // Registry order: Qwen2.5 is listed before OLMo; a base row comes before its fine-tuned runs.
        #expect(try load().runs.first?.id == "qwen2.5-7b.base")
    }

    @Test func sourceLinesAreKept() throws {
        let r = try load()
        #expect(r.runs.first { $0.id == "olmo-7b.math.lora.1k.cosine.ep10" }?.sourceLine == 11)
        #expect(r.runs.allSatisfy { $0.sourceFile == "fixture.csv" })
    }

    @Test func provenance() throws {
        let r = try load()
        let p = try #require(r.provenance.first)
        // `sha256sum` of the fixture's text, written to a file by a Python transcription of Fixture.small.
        #expect(p.sha256 == "298d7f570ee2dffd1dbb7ff67de884910a511b0beba28d4a6a800dbdecead9c2")
        #expect(p.rows == 10 && !p.synthetic && p.fileName == "fixture.csv")
    }

    @Test func trainingGridCoverage() throws {
        let r = try load()
        // Of the fixture's runs, these are planned cells: Qwen alpaca full/lora, Qwen code_alpaca full (main),
        // Qwen all full ep3 (all-epochs), OLMo alpaca full (main), OLMo alpaca 20k constant ep2 (sample-size),
        // OLMo math lora (main). The w/o-lima run is for Qwen, and only OLMo has leave-one-out cells.
        #expect(r.grid.filter(\.present).count == 7)
        // The planned grid, counted from the paper's design: main 12 bases × 10 datasets × 2 methods = 240;
        // all-epochs 12 × 2 × 10 epochs = 240; sample-size 3 bases × (10 + 9) runs × 10 epochs = 570;
        // leave-one-out 20: 1,070, the paper's count. The release has 1,016 of them (RealDataTests).
        #expect(r.grid.count == 1070)
        let oom = r.grid.filter { $0.reason == "out of memory" }
        // Gemma2-9B full on Magicoder (1) and on `all` (epochs 1–10): 11 cells.
        #expect(oom.count == 11)
        // Swallow-Mistral-7B's 20 main and 20 all-epochs cells: trained, never evaluated.
        let swallow = r.grid.filter { $0.key.baseID == "swallow-mistral-7b" }
        #expect(swallow.count == 40 && swallow.allSatisfy { !$0.present && $0.reason?.contains("every evaluation ran out of memory") == true })
    }
}
