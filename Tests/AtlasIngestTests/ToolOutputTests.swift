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
