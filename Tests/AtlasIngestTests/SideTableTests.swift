@testable import AtlasIngest
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// Side tables: recognized by their header, checked against the results, each fault an error with its
/// file, line and column.
@Suite struct SideTableTests {
    let results = try! Fixture.load(Fixture.small).0

    func read(_ text: String) throws(IngestError) -> SideData {
        var side = SideData()
        _ = try side.read(Array(text.utf8), file: "side.csv", results: results)
        return side
    }

    func failure(_ text: String) -> String {
        do { _ = try read(text); return "no error" } catch { return "\(error)" }
    }

    @Test func perplexitiesAndWeightChangesAreRead() throws {
        // Bases and datasets by id or by the release's name; mean_tokens may be empty.
        let p = try read("base,dataset,perplexity,mean_tokens\nqwen2.5-7b,alpaca-cleaned,3.5,120\nOLMo-7B-hf,code_alpaca,7.25,\n")
        #expect(p.perplexity == [.init(base: "qwen2.5-7b", dataset: "alpaca-cleaned", perplexity: 3.5, meanTokens: 120),
                                 .init(base: "olmo-7b", dataset: "code-alpaca", perplexity: 7.25, meanTokens: nil)])
        // Only the `all` rows are kept, as relative = delta_fro / base_fro (0.5 / 50 = 0.01, 1.5 / 50 = 0.03); the
        // file's own relative column (0.9 here) is not what is read.
        let run = results.runs.first { !$0.key.isBase }!.id
        let w = try read("run,layer,position,module,params,delta_fro,base_fro,relative\n\(run),0,0.0,q_proj,4,1,2,0.5\n\(run),0,0.0,all,8,0.5,50,0.9\n\(run),1,1.0,all,8,1.5,50,0.9\n")
        #expect(w.layers == [.init(run: run, layer: 0, position: 0, relative: 0.01), .init(run: run, layer: 1, position: 1, relative: 0.03)])
    }

    @Test func faultsNameTheirFileLineAndColumn() {
        let run = results.runs.first { !$0.key.isBase }!.id
        let weights = "run,layer,position,module,params,delta_fro,base_fro,relative\n"
        let cases: [(String, String)] = [
            ("", "side.csv:1: the file is empty"),
            ("a,b,c\n1,2,3\n", "side.csv:1: the header is 'a,b,c'; expected base,dataset,perplexity[,mean_tokens]"),
            ("base,dataset,perplexity\nnobody,lima,3\n", "side.csv:2: column 'base': 'nobody' is not a base model of these results"),
            ("base,dataset,perplexity\nqwen2.5-7b,nothing,3\n", "side.csv:2: column 'dataset': 'nothing' is not a training dataset of these results"),
            ("base,dataset,perplexity\nqwen2.5-7b,alpaca-cleaned,0.5\n", "side.csv:2: column 'perplexity': is '0.5'; expected a perplexity from 1 to 1e9"),
            ("base,dataset,perplexity\nqwen2.5-7b,alpaca-cleaned,nan\n", "column 'perplexity': is 'nan'"),
            ("base,dataset,perplexity\nqwen2.5-7b,alpaca-cleaned,3\nQwen2.5-7B,alpaca_cleaned,4\n", "side.csv:3: column 'base': qwen2.5-7b on alpaca-cleaned is on line 2 too"),
            ("base,dataset,perplexity\nqwen2.5-7b,alpaca-cleaned\n", "side.csv:2: the row has 2 fields; expected 3"),
            (weights + "ghost.run,0,0,all,1,1,1,1\n", "side.csv:2: column 'run': 'ghost.run' is not a run of these results"),
            (weights + "\(run),-1,0,all,1,1,1,1\n", "side.csv:2: column 'layer': is '-1'"),
            (weights + "\(run),0,1.5,all,1,1,1,1\n", "side.csv:2: column 'position': is '1.5'; expected a layer position from 0 to 1"),
            (weights + "\(run),0,0,all,1,1,0,\n", "side.csv:2: column 'base_fro': is 0"),
            (weights + "\(run),0,0,all,1,1,2,0.5\n\(run),0,0,all,1,1,2,0.5\n", "side.csv:3: column 'layer': layer 0 of \(run) is on line 2 too"),
        ]
        for (text, expected) in cases {
            let message = failure(text)
            #expect(message.contains(expected), "\(message)")
        }
    }

    @Test func anIngestRecordsTheSideTablesAndTheirAnalyses() throws {
        let folder = NSTemporaryDirectory() + "side-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(Fixture.small.utf8).write(to: URL(fileURLWithPath: folder + "/results.csv"))
        try Data("base,dataset,perplexity\nqwen2.5-7b,alpaca-cleaned,3.5\n".utf8).write(to: URL(fileURLWithPath: folder + "/ppl.csv"))
        var ingest = Ingest()
        ingest.sideTables = [folder + "/ppl.csv"]
        let (r, _) = try ingest.load(paths: [folder + "/results.csv"])
        #expect(r.provenance.map(\.fileName) == ["results.csv", "ppl.csv"] && r.provenance[1].rows == 1)
        #expect(r.analyses.contains { $0.name == "perplexity" })
        // A faulty side table fails the ingest, naming it.
        try Data("base,dataset,perplexity\nnobody,lima,3\n".utf8).write(to: URL(fileURLWithPath: folder + "/bad.csv"))
        ingest.sideTables = [folder + "/bad.csv"]
        #expect(throws: IngestError.self) { _ = try ingest.load(paths: [folder + "/results.csv"]) }
    }
}
