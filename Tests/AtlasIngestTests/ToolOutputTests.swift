@testable import AtlasIngest
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// Outputs written by the tools themselves (`scripts/make_tool_fixtures.sh`; see Tests/Fixtures/tools/README.md),
/// not by hand: lm-evaluation-harness 0.4.13's `dummy` model on a group of two local tasks.
@Suite struct ToolOutputTests {
    static let tools = Fixture.repository + "/Tests/Fixtures/tools"

    static func lmEvalFile() throws -> String {
        let folder = tools + "/lm-eval"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        let name = try #require(names.first { $0.hasPrefix("results_") && $0.hasSuffix(".json") })
        return folder + "/" + name
    }

    @Test func lmEvalsOwnOutputReads() throws {
        let path = try Self.lmEvalFile()
        let scores = try LMEvalResults(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: path).scores
        // The dummy model's accuracies, as lm-eval printed them: 0.3 for the group and each task; the two
        // tasks are the group's members; n-shot 0; its version.
        let group = try #require(scores.first { $0.task == "atlas_group" && $0.metric == "acc,none" })
        #expect(group.value == 0.3 && group.shots == 0 && group.toolVersion == "0.4.13" && !group.isGroupMember)
        let members = scores.filter { $0.task.hasPrefix("atlas_") && $0.task != "atlas_group" }
        #expect(members.count == 2 && members.allSatisfy { $0.isGroupMember })
        // Only metric keys: no stderr, alias, name, sample_len or sample_count.
        #expect(Set(scores.map(\.metric)) == ["acc,none"])
    }

    @Test func lmEvalsOwnOutputIngestsBesideTheRelease() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        let path = try Self.lmEvalFile()
        try FileManager.default.copyItem(atPath: path, toPath: folder + "/results.json")
        Fixture.write("name,base,dataset,method,epochs,samples,schedule,results\nDummy,qwen2.5-7b,lima,full,1,1000,cosine,results.json\n", to: folder + "/runs.csv")
        Fixture.write("tool,task,metric,column,scale\nlm-eval,atlas_group,\"acc,none\",atlas-group-0shot,100\n", to: folder + "/map.csv")
        Fixture.write(Fixture.small, to: folder + "/evaluation_result.csv")
        var ingest = Ingest()
        ingest.runManifests = [folder + "/runs.csv"]
        ingest.mapFile = folder + "/map.csv"
        let (r, warnings) = try ingest.load(paths: [folder + "/evaluation_result.csv"])
        let run = try #require(r.runs.firstIndex { $0.id == "dummy" })
        let column = try #require(r.columns.firstIndex { $0.id == "atlas-group-0shot" })
        // 0.3 × 100, as the map says; the group's members are no columns; nothing unmapped.
        #expect(r.score(run: run, column: column) == 30)
        #expect(!r.columns.contains { $0.id.contains("arith") || $0.id.contains("capitals") } && warnings.isEmpty)
        #expect(r.scoreSources.first { $0.run == run }?.toolVersion == "0.4.13")
    }
}

/// OpenCompass 0.5.4's own DefaultSummarizer output (see Tests/Fixtures/tools/README.md).
@Suite struct OpenCompassOutputTests {
    static let folder = ToolOutputTests.tools + "/opencompass"

    /// The cell for `dataset`, `metric` and model column `k` (0 = my-sft, 1 = my-lora), read from the CSV's
    /// text by splitting on commas (independently of the reader under test).
    static func cell(_ dataset: String, _ metric: String, _ k: Int) throws -> String {
        let text = try String(contentsOfFile: folder + "/summary_20251201_120000.csv", encoding: .utf8)
        let row = try #require(text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .first { $0[0] == dataset && $0[2] == metric })
        return row[4 + k]
    }

    @Test func theSummaryItsTxtTwinAndTheResultsFolderAgree() throws {
        let csv = try OpenCompassSummary(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/summary_20251201_120000.csv"))), file: "summary.csv")
        let txt = try OpenCompassSummary(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/summary_20251201_120000.txt"))), file: "summary.txt")
        #expect(csv.models.map(\.abbr) == ["my-sft", "my-lora"] && txt.models.map(\.abbr) == csv.models.map(\.abbr))
        for k in 0..<2 {
            #expect(csv.models[k].scores.map(\.value) == txt.models[k].scores.map(\.value) && !csv.models[k].scores.isEmpty)
        }
        let sft = try #require(csv["my-sft"])
        #expect(sft.first { $0.task == "nq_open_1shot" && $0.metric == "score" }?.value == Double(try Self.cell("nq_open_1shot", "score", 0)))
        #expect(sft.first { $0.task == "nq_open_1shot" }?.shots == 1 && sft.first { $0.task == "gsm8k" }?.configHash == "1d7fe4")
        // The group row: version '-', so no hash; my-lora's TruthfulQA is '-', so no score.
        let mmlu = try #require(sft.first { $0.task == "mmlu" && $0.metric == "naive_average" })
        #expect(mmlu.value == Double(try Self.cell("mmlu", "naive_average", 0)) && mmlu.configHash == nil)
        #expect(try Self.cell("truthful_qa", "bleu_acc", 1) == "-" && csv["my-lora"]!.allSatisfy { $0.task != "truthful_qa" })
        // The results folder holds the unrounded values the summary rounds to 2 decimals.
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder + "/results/my-sft").sorted().map { name in
            (path: Self.folder + "/results/my-sft/" + name, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/results/my-sft/" + name))))
        }
        let raw = try OpenCompassResultsFolder(files: files).scores
        let gsm = try #require(raw.first { $0.task == "gsm8k" && $0.metric == "accuracy" })
        #expect(abs(gsm.value - Double(try Self.cell("gsm8k", "accuracy", 0))!) <= 0.005)
    }

    @Test func theSummaryIngestsWithAMapForWhatItDoesNotShot() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        try FileManager.default.copyItem(atPath: Self.folder + "/summary_20251201_120000.csv", toPath: folder + "/summary.csv")
        Fixture.write("name,base,dataset,method,epochs,samples,schedule,results\nMy SFT,qwen2.5-7b,lima,full,3,1000,cosine,summary.csv#my-sft\n", to: folder + "/runs.csv")
        // GSM8K's and TruthfulQA's abbrs do not name their shots, nor does the mmlu group: the map states them.
        Fixture.write("tool,task,metric,column\nopencompass,gsm8k,accuracy,gsm8k-0shot\nopencompass,truthful_qa,bleu_acc,truthfulqa-0shot\nopencompass,mmlu,naive_average,mmlu-0shot\n", to: folder + "/map.csv")
        Fixture.write(Fixture.small, to: folder + "/evaluation_result.csv")
        var ingest = Ingest()
        ingest.runManifests = [folder + "/runs.csv"]
        ingest.mapFile = folder + "/map.csv"
        let (r, warnings) = try ingest.load(paths: [folder + "/evaluation_result.csv"])
        let run = try #require(r.runs.firstIndex { $0.id == "my-sft" })
        // The 57 MMLU subsets and the summary's other group rows are no columns; TruthfulQA's bleu_max and
        // bleu_diff, which no table maps, are kept as columns named after their source, with warnings.
        #expect(!r.columns.contains { $0.id.contains("lukaemon") || $0.id.contains("humanities") || $0.id.contains("weighted") })
        #expect(Set(r.columns.filter { !$0.registered }.map(\.id)) == ["opencompass-truthful-qa-bleu-max", "opencompass-truthful-qa-bleu-diff"] && warnings.count == 2)
        func value(_ id: String) -> Double? { r.columns.firstIndex { $0.id == id }.map { r.score(run: run, column: $0) } }
        #expect(value("gsm8k-0shot") == Double(try Self.cell("gsm8k", "accuracy", 0)))
        #expect(value("truthfulqa-0shot") == Double(try Self.cell("truthful_qa", "bleu_acc", 0)))
        #expect(value("mmlu-0shot") == Double(try Self.cell("mmlu", "naive_average", 0)))
        #expect(value("nq-1shot") == Double(try Self.cell("nq_open_1shot", "score", 0)))
    }
}
