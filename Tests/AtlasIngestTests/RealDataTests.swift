import AtlasIngest
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// The released results, when `../shared/data/massive-sft/evaluation_result.csv` is present.
///
/// Expected counts were computed independently of this code, with Python's csv module:
///   python3 -c "import csv,collections; r=list(csv.DictReader(open('evaluation_result.csv')));
///   print(len(r), collections.Counter(x['model_name'] for x in r),
///         sorted(set(x['data_name'] for x in r)))"
@Suite struct RealDataTests {
    static let path = Fixture.releasedCSV

    @Test(.enabled(if: path != nil, "skipped: ../shared/data/massive-sft/evaluation_result.csv is not present"))
    func releasedResults() throws {
        var ingest = Ingest()
        ingest.analyses = false // checked in AnalysisTests
        let (r, warnings) = try ingest.load(paths: [Self.path!])
        #expect(warnings.isEmpty)
        #expect(r.provenance.first?.rows == 1027)
        #expect(r.provenance.first?.sha256 == "de156c07817e2c8c2702d5475add0f759c11cd839367ad656ccfd2640a494c73")
        #expect(r.runs.count == 1027)
        #expect(r.runs.filter { !$0.key.isBase }.count == 1016)
        #expect(r.runs.filter(\.key.isBase).count == 11)
        #expect(r.bases.count == 11)
        #expect(r.columns.count == 30)

        let singles = r.datasets.filter { $0.kind == .single }.map(\.sourceName).sorted()
        #expect(singles == ["alpaca_cleaned", "code_alpaca", "flan_comprehension", "flan_knowledge", "flan_reasoning",
                            "lima", "magicoder", "math", "openmath", "ultrachat"])
        #expect(r.datasets.filter { $0.kind == .all }.map(\.sourceName) == ["all"])
        #expect(r.datasets.filter { $0.kind == .leaveOneOut }.count == 10)

        // Rows per model_name, base rows included (from the Counter above).
        let expected: [String: Int] = [
            "OLMo-7B-hf": 250, "LLM-jp-3-7B": 230, "Qwen2.5-7B": 230, "Meta-Llama-3-8B": 41, "Sarashina2-7B": 41,
            "Llama-3-Swallow-8B-v0.1": 41, "Yi-1.5-9B": 41, "llama-3-chinese-8b": 41, "Chinese-Mistral-7B-v0.1": 41,
            "Mistral-7B-v0.1": 41, "Gemma2-9B": 30,
        ]
        let idToName = Dictionary(uniqueKeysWithValues: r.bases.map { ($0.id, $0.sourceName) })
        var counts: [String: Int] = [:]
        for run in r.runs { counts[idToName[run.key.baseID]!, default: 0] += 1 }
        #expect(counts == expected)

        // Missing cells (counted by the same script with x[c] == ''): LongBench-v2-0shot has 994, never zero.
        let lb = r.columns.firstIndex { $0.sourceName == "LongBench-v2-0shot" }!
        #expect(r.runs.indices.filter { r.score(run: $0, column: lb).isNaN }.count == 994)

        // The training grid: 54 planned runs are absent: 11 Gemma2-9B out-of-memory failures, Swallow-Mistral-7B's
        // 40 (never evaluated) and 3 LIMA runs.
        #expect(r.grid.count == 1070 && r.grid.filter { !$0.present }.count == 54)
        #expect(r.grid.filter { $0.reason == "out of memory" }.count == 11)
    }
}
