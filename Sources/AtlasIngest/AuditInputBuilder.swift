import AtlasAnalysis
import AtlasStore
import Foundation

/// The audit of a result set: every run (the release's and a user's), its columns' scales, the plan's
/// absent cells, and the reasons the paper gives for missing values (Appendix E). Stored as the document
/// `quality`, apart from the paper's analyses.
public enum AuditInputBuilder {
    /// The paper's stated reasons for missing evaluations (Appendix E).
    static let explanations = [
        AuditInput.Explanation(base: "mistral-7b", method: Method.lora.rawValue, dataset: nil, epochs: nil, fewShotOnly: true, columns: nil,
                               reason: "the paper: Mistral-7B's LoRA models ran out of memory on the few-shot tasks (Appendix E)"),
        AuditInput.Explanation(base: "gemma-2-9b", method: Method.lora.rawValue, dataset: TrainingSet.allID, epochs: 1...4, fewShotOnly: false,
                               columns: ["alpaca-eval-v2-total"], reason: "the paper: these outputs made AlpacaEval v2 impossible, a win rate of NaN (Appendix E)"),
    ]

    /// The audit's input: every run, or with `releaseOnly` the release's alone.
    static func input(_ r: ResultSet, releaseOnly: Bool = false) -> AuditInput {
        let kept = r.runs.indices.filter { !releaseOnly || !r.runs[$0].isUser }
        var values: [Double] = []
        values.reserveCapacity(kept.count * r.columns.count)
        for i in kept { values += r.scores[(i * r.columns.count)..<((i + 1) * r.columns.count)] }
        return AuditInput(
            runs: kept.map { r.runs[$0] }.map { AuditInput.Run(id: $0.id, base: $0.key.baseID, dataset: $0.key.datasetID, method: $0.key.method?.rawValue, epochs: $0.key.epochs, isBase: $0.key.isBase, isUser: $0.isUser) },
            columns: r.columns.map { AuditInput.Column(id: $0.id, unit: $0.unit.rawValue, scaleMin: $0.scaleMin, scaleMax: $0.scaleMax, shots: $0.shots) },
            values: values,
            gaps: r.grid.filter { !$0.present }.map { AuditInput.Gap(id: $0.key.id, study: $0.study, reason: $0.reason) },
            explanations: explanations)
    }

    /// The audit of every run of a result set (what `Ingest.load` runs), for the benchmark.
    public static func audit(_ r: ResultSet) -> AuditResult { Audit.run(input(r)) }

    /// The audit as a stored document (sorted keys: the same data gives the same bytes; see `AuditResult.json`).
    public static func document(_ audit: AuditResult) -> StoredAnalysis {
        StoredAnalysis(name: "quality", method: nil, json: audit.json)
    }
}
