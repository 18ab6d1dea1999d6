import AtlasStore

/// The score columns of the released results, keyed by their CSV header.
public enum ColumnRegistry {
    private struct Benchmark {
        let id: String
        let name: String
        let category: String
        let unit: ScoreColumn.Unit
    }

    /// Categories are the paper's Table 3 (math, coding, knowledge, examination, instruction following) for its
    /// twelve benchmarks; HellaSwag and LongBench v2, which the paper does not list, get their own.
    private static let benchmarks: [String: Benchmark] = [
        "mbpp": .init(id: "mbpp", name: "MBPP", category: "coding", unit: .percent),
        "humaneval": .init(id: "humaneval", name: "HumanEval", category: "coding", unit: .percent),
        "math": .init(id: "math", name: "MATH", category: "math", unit: .percent),
        "gsm8k": .init(id: "gsm8k", name: "GSM8K", category: "math", unit: .percent),
        "hellaswag": .init(id: "hellaswag", name: "HellaSwag", category: "reasoning", unit: .percent),
        "boolq": .init(id: "boolq", name: "BoolQ", category: "knowledge", unit: .percent),
        "nq": .init(id: "nq", name: "NaturalQuestions", category: "knowledge", unit: .percent),
        "mmlu": .init(id: "mmlu", name: "MMLU", category: "examination", unit: .percent),
        "jmmlu": .init(id: "jmmlu", name: "MMLU-jp", category: "examination", unit: .percent),
        "cmmlu": .init(id: "cmmlu", name: "MMLU-zh", category: "examination", unit: .percent),
        "truthful-qa": .init(id: "truthfulqa", name: "TruthfulQA", category: "knowledge", unit: .fraction),
        "longbench-v2": .init(id: "longbench-v2", name: "LongBench v2", category: "long context", unit: .percent),
        "mtbench": .init(id: "mtbench", name: "MT-Bench", category: "instruction following", unit: .rating),
        "alpaca-eval-v2": .init(id: "alpaca-eval-v2", name: "AlpacaEval v2", category: "instruction following", unit: .percent),
    ]

    /// The twelve main-text columns of the paper, in its order.
    public static let mainColumns: [String] = [
        "math-0shot", "gsm8k-0shot", "humaneval-0shot", "mbpp-0shot", "BoolQ-0shot", "nq-0shot",
        "Truthful_QA-0shot", "mmlu-0shot", "cmmlu-0shot", "jmmlu-0shot", "mtbench-total", "alpaca_eval_v2-total",
    ]

    /// Display order of benchmarks when ordering columns.
    private static let benchmarkOrder = [
        "math", "gsm8k", "humaneval", "mbpp", "boolq", "nq", "truthfulqa", "mmlu", "cmmlu", "jmmlu",
        "mtbench", "alpaca-eval-v2", "hellaswag", "longbench-v2",
    ]

    /// The column for a CSV header. `registered` is `false` when the benchmark is unknown, in which case
    /// benchmark and shots are inferred from a `<name>-<N>shot` pattern and the unit is unknown.
    public static func column(header: String) -> ScoreColumn {
        let (stem, suffix) = split(header)
        let shots = suffix.flatMap(parseShots)
        let isMain = mainColumns.contains(header)
        if let bench = benchmarks[Slug.make(stem)] {
            let id = bench.id + "-" + (shots.map { "\($0)shot" } ?? Slug.make(suffix ?? "score"))
            let display: String
            if let shots {
                display = "\(bench.name) (\(shots)-shot)"
            } else if let suffix, suffix != "total" {
                display = "\(bench.name): \(suffix)"
            } else {
                display = bench.name
            }
            let (lo, hi) = scale(bench.unit)
            return ScoreColumn(id: id, sourceName: header, benchmark: bench.id, benchmarkName: bench.name,
                               displayName: display, shots: shots, category: bench.category, unit: bench.unit,
                               scaleMin: lo, scaleMax: hi, isMain: isMain)
        }
        let benchID = Slug.make(stem)
        return ScoreColumn(id: Slug.make(header), sourceName: header, benchmark: benchID, benchmarkName: stem,
                           displayName: shots.map { "\(stem) (\($0)-shot)" } ?? header, shots: shots,
                           category: "other", unit: .unknown, scaleMin: nil, scaleMax: nil, registered: false)
    }

    /// The column a user's score names by id (`gsm8k-5shot`, `truthfulqa-0shot`, `mtbench-writing`), when
    /// its benchmark is registered; its source name is the id. Nil for an unknown benchmark.
    public static func column(id: String) -> ScoreColumn? {
        guard let dash = id.lastIndex(of: "-") else { return nil }
        let benchID = String(id[..<dash]), suffix = String(id[id.index(after: dash)...])
        guard let bench = benchmarks.values.first(where: { $0.id == benchID }) else { return nil }
        let shots = parseShots(suffix)
        guard shots != nil || bench.id == "mtbench" || bench.id == "alpaca-eval-v2" else { return nil }
        let (lo, hi) = scale(bench.unit)
        let display = shots.map { "\(bench.name) (\($0)-shot)" } ?? (suffix == "total" ? bench.name : "\(bench.name): \(suffix)")
        return ScoreColumn(id: id, sourceName: id, benchmark: bench.id, benchmarkName: bench.name, displayName: display, shots: shots,
                           category: bench.category, unit: bench.unit, scaleMin: lo, scaleMax: hi)
    }

    /// Sort key that puts main columns first (paper order), then the rest by benchmark and shots.
    public static func sortKey(_ column: ScoreColumn) -> (Int, Int, Int, String) {
        if let main = mainColumns.firstIndex(of: column.sourceName) { return (0, main, 0, column.id) }
        let bench = benchmarkOrder.firstIndex(of: column.benchmark) ?? benchmarkOrder.count
        return (1, bench, column.shots ?? 1000, column.id)
    }

    /// `mbpp_4shot` → (`mbpp`, `4shot`); `alpaca_eval_v2-total` → (`alpaca_eval_v2`, `total`).
    /// The last `-` separates the suffix; failing that, a last `_` before an `<N>shot` suffix does.
    static func split(_ header: String) -> (String, String?) {
        if let dash = header.lastIndex(of: "-") {
            return (String(header[..<dash]), String(header[header.index(after: dash)...]))
        }
        if let underscore = header.lastIndex(of: "_") {
            let suffix = String(header[header.index(after: underscore)...])
            if parseShots(suffix) != nil { return (String(header[..<underscore]), suffix) }
        }
        return (header, nil)
    }

    /// `5shot` → 5; anything else → nil.
    static func parseShots(_ suffix: String) -> Int? {
        guard suffix.hasSuffix("shot") else { return nil }
        return Int(suffix.dropLast(4))
    }

    private static func scale(_ unit: ScoreColumn.Unit) -> (Double?, Double?) {
        switch unit {
        case .percent: return (0, 100)
        case .fraction: return (0, 1)
        case .rating: return (1, 10)
        case .unknown: return (nil, nil)
        }
    }
}
