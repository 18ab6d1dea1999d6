import AtlasAnalysis
import AtlasStore
#if canImport(Glibc)
import Glibc
#endif

/// The synthetic demo: a massive-sft-shaped CSV with the study's bases, datasets, methods, epochs, sample
/// sizes and score columns, and plausible made-up values. Deterministic for a seed. It is ingested like any
/// other file, and its provenance is marked synthetic.
public enum DemoData {
    public static let defaultSeed: UInt64 = 20_250_615
    public static let fileName = "synthetic-demo.csv"

    /// The released file's score columns, in its order.
    static let scoreHeaders = [
        "mbpp_4shot", "math-0shot", "gsm8k-4shot", "humaneval-0shot", "hellaswag-10shot", "nq-1shot", "BoolQ-5shot",
        "mmlu-5shot", "mtbench-total", "mtbench-writing", "mtbench-roleplay", "mtbench-reasoning", "mtbench-math",
        "mtbench-coding", "mtbench-extraction", "mtbench-stem", "mtbench-humanities", "alpaca_eval_v2-total",
        "mbpp-0shot", "gsm8k-0shot", "nq-0shot", "nq-5shot", "nq-25shot", "BoolQ-0shot", "hellaswag-0shot",
        "mmlu-0shot", "Truthful_QA-0shot", "LongBench-v2-0shot", "jmmlu-0shot", "cmmlu-0shot",
    ]

    /// The demo CSV's bytes.
    public static func csv(seed: UInt64 = defaultSeed) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let columns = scoreHeaders.map(ColumnRegistry.column(header:))
        // Per base: a quality level and a per-column offset. Per dataset category × benchmark category: an effect.
        var baseLevel: [String: [Double]] = [:]
        for base in BaseRegistry.all {
            let quality = rng.uniform(0.2, 0.8)
            baseLevel[base.id] = columns.map { _ in min(max(quality + 0.15 * rng.normal(), 0.02), 0.95) }
        }
        var effect: [String: [Double]] = [:]
        for dataset in DatasetRegistry.singles {
            effect[dataset.id] = columns.map { column in
                let matched = matches(dataset.category, column.category)
                return (matched ? 0.08 : 0.0) + 0.04 * rng.normal()
            }
        }
        effect[DatasetRegistry.union.id] = columns.indices.map { c in
            DatasetRegistry.singles.reduce(0) { $0 + effect[$1.id]![c] } / Double(DatasetRegistry.singles.count) + 0.03
        }
        for dataset in DatasetRegistry.singles {
            let union = effect[DatasetRegistry.union.id]!
            effect[DatasetRegistry.leaveOneOut(dataset).id] = columns.indices.map { c in union[c] - effect[dataset.id]![c] / 10 }
        }

        let run = ReleaseLayout.requiredColumns
        var out = "," + run[0...1].joined(separator: ",") + ","
        out += scoreHeaders.joined(separator: ",") + "," + run[2...].joined(separator: ",") + "\n"
        var index = 0
        func emit(base: BaseModel, dataset: String, lora: String, epoch: Int, size: Int, schedule: String, values: [Double]) {
            let cells = zip(columns, values).map { column, v -> String in
                if column.benchmark == "longbench-v2", rng.unit() < 0.97 { return "" }
                if rng.unit() < 0.01 { return "" }
                return format(v)
            }
            out += "\(index),\(base.sourceName),\(dataset),\(cells.joined(separator: ",")),\(lora),\(epoch),\(size).0,\(schedule)\n"
            index += 1
        }
        for base in BaseRegistry.all {
            let level = baseLevel[base.id]!
            emit(base: base, dataset: DatasetRegistry.baseRowName, lora: "None", epoch: 0, size: 0, schedule: "None",
                 values: zip(columns, level).map { scale($0, $1) })
        }
        let datasetsByID = Dictionary(uniqueKeysWithValues: DatasetRegistry.everyKnown.map { ($0.id, $0) })
        let basesByID = Dictionary(uniqueKeysWithValues: BaseRegistry.all.map { ($0.id, $0) })
        for (_, key) in TrainingGrid.plan() where TrainingGrid.knownFailure(key) == nil {
            let base = basesByID[key.baseID]!
            let level = baseLevel[key.baseID]!
            let gain = effect[key.datasetID!]!
            let e = Double(key.epochs)
            let epochCurve = (1 - exp(-e / 3)) - 0.015 * e
            let methodFactor = key.method == .lora ? 0.35 : 1.0
            let sizeFactor = key.samples >= 20_000 ? 1.3 : 1.0
            let scheduleFactor = key.schedule == .constant ? 0.95 : 1.0
            let values = columns.indices.map { c -> Double in
                let shift = gain[c] * epochCurve * methodFactor * sizeFactor * scheduleFactor + 0.012 * rng.normal()
                return scale(columns[c], min(max(level[c] + shift, 0.0), 1.0))
            }
            emit(base: base, dataset: datasetsByID[key.datasetID!]!.sourceName, lora: ReleaseLayout.loraText(key.method!),
                 epoch: key.epochs, size: key.samples, schedule: key.schedule!.rawValue, values: values)
        }
        return Array(out.utf8)
    }

    /// Maps a level in [0, 1] onto a column's scale.
    private static func scale(_ column: ScoreColumn, _ level: Double) -> Double {
        switch column.unit {
        case .percent: return 100 * level
        case .fraction: return 0.2 * level
        case .rating: return 1 + 9 * level
        case .unknown: return level
        }
    }

    private static func matches(_ datasetCategory: String, _ columnCategory: String) -> Bool {
        switch datasetCategory {
        case "coding": return columnCategory == "coding"
        case "math": return columnCategory == "math"
        case "general": return columnCategory == "instruction following"
        case "classic NLP": return ["knowledge", "examination", "reasoning"].contains(columnCategory)
        default: return false
        }
    }

    /// Two decimals, without Foundation's locale-dependent formatting.
    private static func format(_ v: Double) -> String {
        let hundredths = Int((v * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let a = abs(hundredths)
        let frac = a % 100
        return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
