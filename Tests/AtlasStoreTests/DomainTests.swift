import AtlasStore
import Testing

/// The shared vocabulary: dataset ids read as training sets and back, and the release's spellings.
@Suite struct DomainTests {
    @Test func trainingSetsRoundTripTheirIds() {
        #expect(TrainingSet(id: "all") == .all)
        #expect(TrainingSet(id: "wo-lima") == .leaveOneOut(leftOut: "lima"))
        #expect(TrainingSet(id: "alpaca-cleaned") == .single("alpaca-cleaned"))
        for id in ["all", "wo-flan-knowledge", "magicoder", "wo-", "walls"] { #expect(TrainingSet(id: id).id == id) }
        #expect(TrainingSet(id: "wo-lima").kind == .leaveOneOut && TrainingSet(id: "all").kind == .all && TrainingSet(id: "x").kind == .single)
        #expect(TrainingSet.isAll("all") && !TrainingSet.isAll(nil) && !TrainingSet.isAll("wo-all"))
        #expect(TrainingSet.isLeaveOneOut("wo-math") && !TrainingSet.isLeaveOneOut("math") && !TrainingSet.isLeaveOneOut(nil))
        // The stored kind names (the database's `datasets.kind` column).
        #expect(DatasetKind.allCases.map(\.rawValue) == ["single", "all", "leave-one-out"])
    }

    @Test func theReleaseSpellings() {
        // The header of the released evaluation_result.csv, after its score columns.
        #expect(ReleaseLayout.requiredColumns == ["model_name", "data_name", "lora", "epoch", "data_size", "lr_strategy"])
        #expect(ReleaseLayout.loraText(.lora) == "true" && ReleaseLayout.loraText(.full) == "false")
        #expect(Method.allCases.map(\.rawValue) == ["full", "lora"] && Schedule.allCases.map(\.rawValue) == ["cosine", "constant"])
        #expect(RunKey(baseID: "qwen2.5-7b", datasetID: "wo-lima", method: .lora, epochs: 3, samples: 20_000, schedule: .constant).id
                == "qwen2.5-7b.wo-lima.lora.20k.constant.ep3")
    }
}
