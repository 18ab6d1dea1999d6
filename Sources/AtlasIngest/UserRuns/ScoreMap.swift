import AtlasStore

/// Which atlas column a tool's score belongs to, and the factor that puts it in that column's unit.
///
/// The built-in table names a benchmark per (tool, task, metric); the shots come from the score itself
/// (lm-eval's `n-shot`, or an OpenCompass abbr that names them), never guessed, and choose the column
/// (`gsm8k` at 5 shots → `gsm8k-5shot`). lm-eval reports 0–1 fractions, so they are ×100 into percent
/// columns and kept as they are for TruthfulQA (a fraction in the release); OpenCompass reports in the
/// columns' own units. A map file (`--map`, header `tool,task,metric,column[,scale]`) overrides or
/// extends the table with an explicit column id and an optional factor.
struct ScoreMap {
    struct Entry: Equatable {
        /// A column id (`gsm8k-4shot`), or a benchmark to which the score's shots are added.
        var target: String
        var isBenchmark: Bool
        var scale: Double?
    }

    /// What became of a score.
    enum Outcome: Equatable {
        /// Into column `id` (which may be new), times `scale`.
        case column(String, scale: Double, shots: Int?)
        /// Kept as a new column named after its source, with a warning saying how to map it.
        case unmapped(reason: String)
        /// A group member not asked for: left out.
        case skipped
    }

    static let builtIn: [ToolScore.Tool: [String: [String: String]]] = [
        .lmEval: [
            "gsm8k": ["exact_match,strict-match": "gsm8k"], "mmlu": ["acc,none": "mmlu"], "boolq": ["acc,none": "boolq"],
            "minerva_math": ["exact_match,none": "math"], "hendrycks_math": ["exact_match,none": "math"],
            "humaneval": ["pass@1,create_test": "humaneval"], "mbpp": ["pass_at_1,none": "mbpp"],
            "nq_open": ["exact_match,remove_whitespace": "nq"], "truthfulqa_gen": ["bleu_acc,none": "truthfulqa"],
            "cmmlu": ["acc,none": "cmmlu"], "hellaswag": ["acc_norm,none": "hellaswag"], "longbench_v2": ["acc,none": "longbench-v2"],
        ],
        .openCompass: [
            "gsm8k": ["accuracy": "gsm8k"], "math": ["accuracy": "math"], "openai_humaneval": ["humaneval_pass@1": "humaneval"],
            "mbpp": ["score": "mbpp"], "BoolQ": ["accuracy": "boolq"], "truthful_qa": ["bleu_acc": "truthfulqa"], "nq_open": ["score": "nq"],
            "mmlu": ["naive_average": "mmlu"], "cmmlu": ["naive_average": "cmmlu"], "hellaswag": ["accuracy": "hellaswag"],
            "LongBenchv2": ["accuracy": "longbench-v2"],
            "mtbench": ["total": "mtbench-total", "writing": "mtbench-writing", "roleplay": "mtbench-roleplay", "reasoning": "mtbench-reasoning",
                        "math": "mtbench-math", "coding": "mtbench-coding", "extraction": "mtbench-extraction", "stem": "mtbench-stem",
                        "humanities": "mtbench-humanities"],
        ],
    ]

    /// Benchmarks whose columns are 0–1 fractions (lm-eval's fractions stay as they are).
    static let fractionBenchmarks: Set<String> = ["truthfulqa"]

    /// Overrides from a map file, by tool, task and metric.
    private(set) var overrides: [ToolScore.Tool: [String: [String: Entry]]] = [:]

    init() {}

    /// Reads `tool,task,metric,column[,scale]`.
    init(bytes: [UInt8], file: String) throws(IngestError) {
        var reader = CSVReader(bytes: bytes)
        func record() throws(IngestError) -> CSVReader.Record? {
            do { return try reader.next() } catch { throw IngestError(file: file, message: "the map is not valid CSV: \(error)") }
        }
        guard let head = try record() else { throw IngestError(file: file, line: 1, message: "the map is empty; expected the header 'tool,task,metric,column,scale'") }
        let names = (0..<head.count).map { head.string($0).trimmed }
        guard names == ["tool", "task", "metric", "column"] || names == ["tool", "task", "metric", "column", "scale"] else {
            throw IngestError(file: file, line: head.line, message: "the header is '\(IngestError.excerpt(names.joined(separator: ",")))'; expected 'tool,task,metric,column' or 'tool,task,metric,column,scale'")
        }
        while let row = try record() {
            guard row.count == names.count else { throw IngestError(file: file, line: row.line, message: "the row has \(row.count) fields; expected \(names.count), as in the header") }
            let toolName = row.string(0).trimmed
            guard let tool = ToolScore.Tool(rawValue: toolName) else {
                throw IngestError(file: file, line: row.line, column: "tool", message: "is '\(IngestError.excerpt(toolName))'; expected 'opencompass' or 'lm-eval'")
            }
            let task = row.string(1).trimmed, metric = row.string(2).trimmed, column = row.string(3).trimmed
            for (name, value) in [("task", task), ("metric", metric), ("column", column)] where value.isEmpty {
                throw IngestError(file: file, line: row.line, column: name, message: "is empty; expected the tool's \(name == "column" ? "column id in the atlas" : name)")
            }
            guard Slug.make(column) == column else {
                throw IngestError(file: file, line: row.line, column: "column", message: "is '\(IngestError.excerpt(column))'; expected a column id: lowercase letters, digits, '-' and '.' (such as gsm8k-4shot)")
            }
            var scale: Double?
            if names.count == 5, !row.string(4).trimmed.isEmpty {
                let text = row.string(4).trimmed
                guard let s = Double(text), s.isFinite, s > 0, s <= 1e6 else {
                    throw IngestError(file: file, line: row.line, column: "scale", message: "is '\(IngestError.excerpt(text))'; expected a positive factor such as 100")
                }
                scale = s
            }
            overrides[tool, default: [:]][task, default: [:]][metric] = Entry(target: column, isBenchmark: false, scale: scale)
        }
    }

    /// Where `score` goes. `columnUnit` gives the unit of an existing or registry column id, if known.
    func outcome(_ score: ToolScore, columnUnit: (String) -> ScoreColumn.Unit?) -> Outcome {
        if let entry = overrides[score.tool]?[score.task]?[score.metric] {
            return .column(entry.target, scale: entry.scale ?? defaultScale(score, unit: columnUnit(entry.target)), shots: score.shots)
        }
        if score.isGroupMember { return .skipped }
        // An abbr that names its shots (`nq_open_5shot`) is looked up without them (`nq_open`) as well.
        let stem = score.task.split(separator: "_").filter { ToolScore.shots(inAbbr: String($0)) == nil }.joined(separator: "_")
        guard let target = Self.builtIn[score.tool]?[score.task]?[score.metric] ?? Self.builtIn[score.tool]?[stem]?[score.metric] else {
            // A summary group no table maps (`mmlu-stem accuracy`, `mmlu weighted_average`): left out, not a column.
            if score.isSummaryGroup { return .skipped }
            return .unmapped(reason: "no column is known for \(score.tool.rawValue) task '\(score.task)' metric '\(score.metric)' (a --map file can name one: a CSV with the header tool,task,metric,column)")
        }
        if target.hasPrefix("mtbench-") { return .column(target, scale: 1, shots: nil) }
        guard let shots = score.shots else {
            return .unmapped(reason: "\(score.tool.rawValue) task '\(score.task)' does not state its shots; add a line '\(score.tool.rawValue),\(score.task),\(score.metric),\(target)-<N>shot' to a --map file (a CSV with the header tool,task,metric,column)")
        }
        let id = "\(target)-\(shots)shot"
        return .column(id, scale: defaultScale(score, unit: columnUnit(id) ?? (Self.fractionBenchmarks.contains(target) ? .fraction : .percent)), shots: shots)
    }

    /// lm-eval's fractions into a percent column ×100; everything else as it is.
    private func defaultScale(_ score: ToolScore, unit: ScoreColumn.Unit?) -> Double {
        score.tool == .lmEval && unit == .percent ? 100 : 1
    }
}
