@testable import AtlasIngest
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// A user's runs beside the release: every input format, the mapping to columns (units, shots), the
/// provenance kept, the release's analyses untouched, and each kind of bad input named with its place.
@Suite struct UserRunsTests {
    /// Ingests `Fixture.small` plus the fixture's manifest (written in a new folder).
    func load(manifest: String = UserRunFixture.manifest, map: Bool = true) throws -> (ResultSet, [String], String) {
        let folder = Fixture.folder()
        let paths = UserRunFixture.write(in: folder, manifest: manifest)
        Fixture.write(Fixture.small, to: folder + "/evaluation_result.csv")
        var ingest = Ingest()
        ingest.runManifests = [paths.manifest]
        ingest.mapFile = map ? paths.map : nil
        let (r, w) = try ingest.load(paths: [folder + "/evaluation_result.csv"])
        return (r, w, folder)
    }

    func value(_ r: ResultSet, _ run: String, _ column: String) -> Double? {
        guard let i = r.runs.firstIndex(where: { $0.id == run }), let c = r.columns.firstIndex(where: { $0.id == column }) else { return nil }
        let v = r.score(run: i, column: c)
        return v.isNaN ? nil : v
    }

    @Test func everyFormatMapsToColumnsInTheirUnits() throws {
        let (r, warnings, folder) = try load()
        defer { Fixture.remove(folder) }
        // OpenCompass summary (percent as written; TruthfulQA a fraction as written); the mmlu group row via the map.
        #expect(value(r, "my-qwen-sft", "math-0shot") == 14.5 && value(r, "my-qwen-sft", "truthfulqa-0shot") == 0.09)
        #expect(value(r, "my-qwen-sft", "mmlu-0shot") == 61.25 && value(r, "my-qwen-sft", "mtbench-total") == 6.9)
        #expect(value(r, "my-qwen-sft", "mtbench-writing") == 8.0)
        // The .txt twin: the same block; '-' is no value.
        #expect(value(r, "my-qwen-lora", "truthfulqa-0shot") == 0.08 && value(r, "my-qwen-lora", "math-0shot") == nil)
        // The results folder: shots from the file's abbr; `details` skipped.
        #expect(value(r, "my-olmo-sft", "math-0shot") == 9.5 && value(r, "my-olmo-sft", "mbpp-4shot") == 23)
        // lm-eval: fractions ×100 into percent columns (0.55 → 55, not 55.00000000000001); TruthfulQA stays a
        // fraction; shots from n-shot make gsm8k a 5-shot column; the MMLU subtask is no column.
        #expect(value(r, "my-llama", "gsm8k-5shot") == 55 && value(r, "my-llama", "mmlu-0shot") == 62 && value(r, "my-llama", "truthfulqa-0shot") == 0.11)
        #expect(value(r, "my-llama-base", "gsm8k-5shot") == 40 && value(r, "my-llama-base", "mmlu-0shot") == 55)
        let gsm5 = try #require(r.columns.first { $0.id == "gsm8k-5shot" })
        #expect(gsm5.shots == 5 && gsm5.unit == .percent && gsm5.benchmark == "gsm8k")
        #expect(!r.columns.contains { $0.id.contains("abstract") })
        // What no table maps is kept, named after its source, with a warning that says so.
        #expect(value(r, "my-llama", "lm-eval-gsm8k-exact-match-flexible-extract") == 0.57)
        #expect(value(r, "my-qwen-sft", "opencompass-unknown-thing-accuracy") == 33)
        #expect(warnings.contains { $0.contains("unknown_thing") } && warnings.contains { $0.contains("flexible-extract") })
        // lm-eval in a column the release filled with OpenCompass (TruthfulQA here), said once; not for its own 5-shot GSM8K.
        #expect(warnings.filter { $0.contains("lm-eval scores in column 'truthfulqa-0shot'") }.count == 1 && !warnings.contains { $0.contains("column 'gsm8k-5shot'") })
        // User runs: labelled, their manifest as source, after the release's runs of their base; a base of their own.
        let sft = try #require(r.runs.first { $0.id == "my-qwen-sft" })
        #expect(sft.source == "runs.csv" && sft.label == "My Qwen SFT" && sft.sourceLine == 2 && sft.key.datasetID == "my-chat-data")
        #expect(r.datasets.first { $0.id == "my-chat-data" }?.category == "yours")
        #expect(r.bases.first { $0.id == "my-llama-base" }?.registered == false)
        let qwen = r.runs.indices.filter { r.runs[$0].key.baseID == "qwen2.5-7b" }
        #expect(qwen.map { r.runs[$0].isUser } == qwen.map { _ in false }.dropLast(2) + [true, true])
    }

    @Test func aMapNamesColumnsAndFactors() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        UserRunFixture.write(in: folder, manifest: "name,base,dataset,method,epochs,samples,schedule,results\nMy Llama,qwen2.5-7b,lima,full,3,1000,cosine,results_2025-06-01T12-00-00.json\n")
        // lm-eval's keys hold a comma, so the map quotes them; the factor is the map's.
        Fixture.write("tool,task,metric,column,scale\nlm-eval,gsm8k,\"exact_match,flexible-extract\",gsm8k-flexible-5shot,100\nlm-eval,mmlu_abstract_algebra,\"acc,none\",mmlu-algebra-0shot,\n", to: folder + "/map.csv")
        Fixture.write(Fixture.small, to: folder + "/evaluation_result.csv")
        var ingest = Ingest()
        ingest.runManifests = [folder + "/runs.csv"]
        ingest.mapFile = folder + "/map.csv"
        let (r, warnings) = try ingest.load(paths: [folder + "/evaluation_result.csv"])
        // 0.57 × 100 = 57; the subtask, named by the map, becomes a column (an unknown benchmark: its value as written).
        #expect(value(r, "my-llama", "gsm8k-flexible-5shot") == 57 && value(r, "my-llama", "mmlu-algebra-0shot") == 0.3)
        #expect(!warnings.contains { $0.contains("flexible-extract") })
        // A map line that is not one: named with its line.
        Fixture.write("tool,task,metric,column\nhelm,gsm8k,acc,gsm8k-0shot\n", to: folder + "/map.csv")
        #expect(throws: IngestError(file: folder + "/map.csv", line: 2, column: "tool", message: "is 'helm'; expected 'opencompass' or 'lm-eval'")) {
            _ = try ingest.load(paths: [folder + "/evaluation_result.csv"])
        }
    }

    @Test func eachScoreKeepsWhereItCameFrom() throws {
        let (r, _, folder) = try load()
        defer { Fixture.remove(folder) }
        func source(_ run: String, _ column: String) -> ScoreSource? {
            guard let i = r.runs.firstIndex(where: { $0.id == run }), let c = r.columns.firstIndex(where: { $0.id == column }) else { return nil }
            return r.scoreSources.first { $0.run == i && $0.column == c }
        }
        let math = try #require(source("my-qwen-sft", "math-0shot"))
        #expect(math.tool == "opencompass" && math.file == "summary_20250601_120000.csv" && math.place == "line 2" && math.task == "math_0shot"
                && math.metric == "accuracy" && math.shots == 0 && math.configHash == "a1b2c3" && math.raw == 14.5 && math.scale == 1)
        let gsm = try #require(source("my-llama", "gsm8k-5shot"))
        #expect(gsm.tool == "lm-eval" && gsm.toolVersion == "0.4.8" && gsm.metric == "exact_match,strict-match" && gsm.shots == 5
                && gsm.configHash == "abc123" && gsm.raw == 0.55 && gsm.scale == 100 && gsm.place == "$.results.gsm8k[\"exact_match,strict-match\"]")
        #expect(source("my-olmo-sft", "mbpp-4shot")?.place == "$.score")
        // Released scores have none.
        #expect(r.scoreSources.allSatisfy { r.runs[$0.run].isUser })
    }

    @Test func theReleasesAnalysesDoNotChange() throws {
        let (with, _, folder) = try load()
        defer { Fixture.remove(folder) }
        let (plain, _) = try Fixture.load(Fixture.small)
        // The audit ("quality") covers a user's runs too; the paper's analyses do not.
        let paper = with.analyses.filter { $0.name != "quality" }, without = plain.analyses.filter { $0.name != "quality" }
        #expect(!paper.isEmpty && paper.count == without.count && with.analyses.contains { $0.name == "quality" })
        // Each says so.
        #expect(paper.allSatisfy { $0.json.contains("\"data\":\"the released runs only") })
        for (a, b) in zip(paper, without) { #expect(a == b, "\(a.name) \(a.method ?? "") differs: \(a.json.prefix(300)) vs \(b.json.prefix(300))") }
        // The audit judges the user's runs against the release, but says the same of the release: every finding
        // without a user's run is as it is without them (columns only a user's runs have are not "sparse", and
        // run counts and group medians are the release's). Before, the counts and medians took in the user's runs.
        func findings(_ r: ResultSet) throws -> [String] {
            let json = try #require(r.analyses.first { $0.name == "quality" }).json
            let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
            let userIDs = Set(r.runs.filter(\.isUser).map(\.id))
            return (doc["findings"] as! [[String: Any]]).filter { f in (f["runs"] as! [String]).allSatisfy { !userIDs.contains($0) } }
                .map { String(decoding: try! JSONSerialization.data(withJSONObject: $0, options: .sortedKeys), as: UTF8.self) }
        }
        #expect(try findings(with) == findings(plain))
    }

    @Test func badInputIsNamedWithItsPlace() throws {
        let header = "name,base,dataset,method,epochs,samples,schedule,results\n"
        func failure(_ manifest: String, extra: [String: String] = [:]) -> IngestError? {
            let folder = Fixture.folder()
            defer { Fixture.remove(folder) }
            let paths = UserRunFixture.write(in: folder, manifest: manifest)
            for (name, text) in extra { Fixture.write(text, to: folder + "/" + name) }
            Fixture.write(Fixture.small, to: folder + "/evaluation_result.csv")
            var ingest = Ingest()
            ingest.runManifests = [paths.manifest]
            do { _ = try ingest.load(paths: [folder + "/evaluation_result.csv"]); return nil } catch { return error }
        }
        let cases: [(String, [String: String], String, Int?, String)] = [
            // (manifest rows, extra files, file the error names, line, words it must say)
            ("A,qwen2.5-7b,lima,full,1,1000,cosine,bad.json\n", ["bad.json": "{\"results\": {\"gsm8k\": {\"acc,none\": 0.5,}}}"], "bad.json", 1, "expected a quoted member name"),
            ("A,qwen2.5-7b,lima,full,1,1000,cosine,none.json\n", ["none.json": "{\"config\": {}}"], "none.json", nil, "no 'results' object"),
            ("A,qwen2.5-7b,lima,full,1,1000,cosine,summary_20250601_120000.csv#nobody\n", [:], "runs.csv", 2, "my-qwen-sft, my-qwen-lora"),
            ("A,qwen2.5-7b,lima,full,1,1000,cosine,missing.json\n", [:], "runs.csv", 2, "does not exist"),
            ("A,qwen2.5-7b,lima,full,1,1000,cosine,base_results.json\na,qwen2.5-7b,lima,lora,1,1000,cosine,base_results.json\n", [:], "runs.csv", 3, "one id 'a'"),
            ("Qwen2.5-7B.alpaca-cleaned.full.1k.cosine.ep10,qwen2.5-7b,lima,full,1,1000,cosine,base_results.json\n", [:], "runs.csv", 2, "which is the released run"),
            ("A,mystery-7b,lima,full,1,1000,cosine,base_results.json\n", [:], "runs.csv", 2, "nor given its own row"),
            ("A,qwen2.5-7b,lima,full,1,1000,cosine,s.csv#m\n", ["s.csv": "dataset,version,metric,mode,m\nmath_0shot,x,accuracy,gen,abc\n"], "s.csv", 2, "expected a number"),
            ("A,qwen2.5-7b,lima,full,1,1000,cosine,t.json\n", ["t.json": "{\"results\": {\"gsm8k\": {\"acc,none\": \"high\"}}}"], "t.json", 1, "$.results.gsm8k[\"acc,none\"]"),
            ("A,qwen2.5-7b,lima,full,1,1000,cosine,results/my-olmo-sft;s.csv#m\n", ["s.csv": "dataset,version,metric,mode,m\nmath_0shot,x,accuracy,gen,14.5\n"], "runs.csv", 2, "two values for column 'math-0shot'"),
            ("A,qwen2.5-7b,lima,full,ten,1000,cosine,base_results.json\n", [:], "runs.csv", 2, "whole number"),
        ]
        for (rows, extra, file, line, words) in cases {
            let e = try #require(failure(header + rows, extra: extra), "no error for: \(rows)")
            #expect(e.file.hasSuffix(file) && e.line == line && e.description.contains(words), "\(rows): \(e)")
        }
    }

    /// lm-eval writes results_<date>.json into a folder per model: a manifest may name the folder when it holds
    /// one such file (read as that file), and gets an error naming the files when it holds several. (The folder
    /// was read as OpenCompass's results/<abbr>/, and failed on the results file's `pretty_env_info` string.)
    @Test func anLMEvalOutputFolderIsReadAsItsResultsFile() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        let paths = UserRunFixture.write(in: folder)
        Fixture.write(Fixture.small, to: folder + "/evaluation_result.csv")
        let results = folder + "/results_2025-06-01T12-00-00.json"
        try FileManager.default.createDirectory(atPath: folder + "/out/my-llama", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: results, toPath: folder + "/out/my-llama/results_2025-06-01T12-00-00.json")
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: folder + "/out/my-llama/samples_gsm8k.jsonl"))
        func ingest(_ reference: String) throws -> ResultSet {
            try String(UserRunFixture.manifest.replacingOccurrences(of: ",results_2025-06-01T12-00-00.json", with: "," + reference))
                .write(toFile: paths.manifest, atomically: true, encoding: .utf8)
            var ingest = Ingest()
            ingest.runManifests = [paths.manifest]
            ingest.mapFile = paths.map
            return try ingest.load(paths: [folder + "/evaluation_result.csv"]).0
        }
        let byFile = try ingest("results_2025-06-01T12-00-00.json"), byFolder = try ingest("out/my-llama")
        #expect(value(byFolder, "my-llama", "gsm8k-5shot") == 55 && value(byFolder, "my-llama", "gsm8k-5shot") == value(byFile, "my-llama", "gsm8k-5shot"))
        // A second run in the same folder: which one is meant is the user's to say.
        try FileManager.default.copyItem(atPath: results, toPath: folder + "/out/my-llama/results_2025-06-02T09-00-00.json")
        do {
            _ = try ingest("out/my-llama")
            Issue.record("no error for two results files")
        } catch let error as IngestError {
            #expect(error.description.contains("holds 2 lm-eval results files (results_2025-06-01T12-00-00.json, results_2025-06-02T09-00-00.json); name the one to read"), "\(error)")
        }
    }

    @Test func aFailedIngestLeavesTheDatabaseAsItWas() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        let paths = UserRunFixture.write(in: folder, manifest: "name,base,dataset,method,epochs,samples,schedule,results\nA,mystery,lima,full,1,1000,cosine,base_results.json\n")
        Fixture.write(Fixture.small, to: folder + "/evaluation_result.csv")
        _ = try Ingest().run(paths: [folder + "/evaluation_result.csv"], database: folder + "/atlas.sqlite")
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/atlas.sqlite"))
        var ingest = Ingest()
        ingest.runManifests = [paths.manifest]
        #expect(throws: IngestError.self) { _ = try ingest.run(paths: [folder + "/evaluation_result.csv"], database: folder + "/atlas.sqlite") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/atlas.sqlite")) == before)
    }
}
