import AtlasStore

/// The study's plan: the hyperparameters per method and every training run the paper set out to make.
///
/// The plan is reconstructed from the paper's description of its experiments:
/// - `main`: every base × the ten datasets × {full, LoRA}, 1k samples, cosine schedule, 10 epochs;
/// - `all-epochs`: every base × `all` (the ten merged, 10k samples) × {full, LoRA}, cosine, epochs 1–10;
/// - `sample-size`: OLMo, Qwen2.5, LLM-jp-3 × full × constant schedule × epochs 1–10, with 1k samples of
///   each of the ten datasets and 20k samples of the nine that have that many (LIMA has 1,030);
/// - `leave-one-out`: OLMo × each `w/o-<name>` union (9k samples) × {full, LoRA}, cosine, 10 epochs.
///
/// The `main` and `all-epochs` studies also cover Swallow-Mistral-7B, the paper's twelfth base (Table 1): its
/// models were trained but every evaluation ran out of memory (Appendix E), so it has no rows and no registry
/// entry, and its 40 cells are gaps with that reason. With it the plan has the paper's 1,070 runs.
public enum TrainingGrid {
    public static let promptTemplate = "###Question: {instruction}\n###Answer: {response}"

    public static let hyperparameters: [GridHyperparameters] = [
        GridHyperparameters(method: .full, learningRate: 1e-5, batchSize: 32, weightDecay: 0, epochs: 10, promptTemplate: promptTemplate),
        GridHyperparameters(method: .lora, learningRate: 2e-6, batchSize: 128, weightDecay: 0, epochs: 10, promptTemplate: promptTemplate),
    ]

    static let sampleSizeBases = ["olmo-7b", "qwen2.5-7b", "llm-jp-3-7b"]
    /// Bases the paper trained but could not evaluate at all, with its reason (they are in no result file).
    static let unevaluatedBases = [(id: "swallow-mistral-7b", reason: "trained, but every evaluation ran out of memory (the paper, Appendix E)")]
    static let leaveOneOutBases = ["olmo-7b"]

    /// Runs that the paper reports as failed for lack of memory: Gemma2-9B, full-parameter, on data containing Magicoder.
    static func knownFailure(_ key: RunKey) -> String? {
        if let unevaluated = unevaluatedBases.first(where: { $0.id == key.baseID }) { return unevaluated.reason }
        guard key.baseID == "gemma-2-9b", key.method == .full else { return nil }
        return key.datasetID == "magicoder" || TrainingSet.isAll(key.datasetID) ? "out of memory" : nil
    }

    /// Every planned run, in plan order, each with its study name.
    public static func plan() -> [(study: String, key: RunKey)] {
        var cells: [(String, RunKey)] = []
        let bases = BaseRegistry.all.map(\.id) + unevaluatedBases.map(\.id)
        let singles = DatasetRegistry.singles
        for base in bases {
            for dataset in singles {
                for method in Method.allCases {
                    cells.append(("main", RunKey(baseID: base, datasetID: dataset.id, method: method, epochs: 10, samples: 1000, schedule: .cosine)))
                }
            }
        }
        for base in bases {
            for method in Method.allCases {
                for epoch in 1...10 {
                    cells.append(("all-epochs", RunKey(baseID: base, datasetID: DatasetRegistry.union.id, method: method, epochs: epoch, samples: 10_000, schedule: .cosine)))
                }
            }
        }
        for base in sampleSizeBases {
            for samples in [1000, 20_000] {
                for dataset in singles where samples <= (dataset.sourceSamples ?? Int.max) {
                    for epoch in 1...10 {
                        cells.append(("sample-size", RunKey(baseID: base, datasetID: dataset.id, method: .full, epochs: epoch, samples: samples, schedule: .constant)))
                    }
                }
            }
        }
        for base in leaveOneOutBases {
            for dataset in singles {
                for method in Method.allCases {
                    cells.append(("leave-one-out", RunKey(baseID: base, datasetID: DatasetRegistry.leaveOneOut(dataset).id, method: method, epochs: 10, samples: 9000, schedule: .cosine)))
                }
            }
        }
        return cells
    }

    /// The plan with each cell marked present or absent (with the known reason, if any).
    public static func cells(present: Set<RunKey>) -> [GridCell] {
        plan().map { study, key in
            let here = present.contains(key)
            return GridCell(study: study, key: key, present: here, reason: here ? nil : knownFailure(key))
        }
    }
}
