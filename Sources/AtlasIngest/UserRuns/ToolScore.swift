/// One score as an evaluation tool wrote it, before it is mapped to a column: the tool and its version,
/// where it is (file, and a line or a JSON path), the tool's task and metric key, its value as written,
/// its shots and its prompt or config hash.
struct ToolScore: Equatable {
    enum Tool: String, CaseIterable {
        case openCompass = "opencompass", lmEval = "lm-eval"
    }

    var tool: Tool
    var toolVersion: String?
    var file: String
    /// `line 12` (CSV) or a JSON path (`$.results.gsm8k["exact_match,strict-match"]`).
    var place: String
    var line: Int?
    /// lm-eval's task or group; OpenCompass's dataset abbr or summary group; `mtbench` for its summary.
    var task: String
    /// lm-eval's `metric,filter` key; OpenCompass's metric (`accuracy`, `naive_average`); MT-Bench's category.
    var metric: String
    var value: Double
    /// lm-eval's `n-shot`, or the shots an OpenCompass abbr names (`nq_open_5shot`); nil when unstated.
    var shots: Int?
    /// OpenCompass's prompt version, or lm-eval's task hash.
    var configHash: String?
    /// An lm-eval subtask of a group, or an OpenCompass subset (the 57 MMLU subsets): not made a column
    /// unless the map asks.
    var isGroupMember = false
    /// An OpenCompass summary group's row (version `-`): a column if the tables map it, else left out.
    var isSummaryGroup = false

    /// OpenCompass abbr prefixes of benchmark subsets (MMLU's `lukaemon_mmlu_college_biology`, CMMLU's, …).
    static let subsetPrefixes = ["lukaemon_mmlu_", "cmmlu-", "ceval-", "bbh-", "mmlu_pro_"]
}

extension ToolScore {
    /// The shots an OpenCompass dataset abbr names: `nq_open_5shot` → 5, `gsm8k_0shot_v2` → 0; nil otherwise.
    static func shots(inAbbr abbr: String) -> Int? {
        let parts = abbr.lowercased().split(whereSeparator: { $0 == "_" || $0 == "-" })
        for part in parts where part.hasSuffix("shot") {
            let digits = part.dropLast(4)
            if !digits.isEmpty, digits.count <= 3, let n = Int(digits) { return n }
        }
        return nil
    }
}
