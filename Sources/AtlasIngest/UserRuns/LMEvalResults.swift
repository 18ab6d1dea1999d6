/// lm-evaluation-harness's `results_<date>.json` (0.4.x): `results` maps each task and group to
/// `"<metric>,<filter>"` values (with `_stderr` twins and an `alias`); `n-shot`, `versions`,
/// `task_hashes`, `group_subtasks`, `lm_eval_version` and `config.model_args` describe them.
/// Values are what lm-eval reports: 0–1 fractions for accuracies.
struct LMEvalResults {
    var scores: [ToolScore]
    /// `config.model_args` (`pretrained=…`), for messages; nil when absent.
    var modelArgs: String?

    init(bytes: [UInt8], file: String) throws(IngestError) {
        let doc = try JSONDocument(bytes: bytes, file: file)
        func line(_ path: String) -> Int? { doc.lines[path] }
        guard let results = doc.root["results"]?.object else {
            throw IngestError(file: file, message: "no 'results' object at $.results; expected an lm-evaluation-harness results file (results_<date>.json) with a 'results' object of tasks")
        }
        let version = doc.root["lm_eval_version"]?.string
        modelArgs = doc.root["config"]?["model_args"]?.string
        var shots: [String: Int] = [:]
        for (task, n) in doc.root["n-shot"]?.object ?? [] {
            if let d = n.number, d.isFinite, d >= 0, d <= 1000, d == d.rounded() { shots[task] = Int(d) }
        }
        var hashes: [String: String] = [:]
        for (task, h) in doc.root["task_hashes"]?.object ?? [] { if let s = h.string, !s.isEmpty { hashes[task] = s } }
        var members = Set<String>()
        for (_, subtasks) in doc.root["group_subtasks"]?.object ?? [] {
            for s in subtasks.array ?? [] { if let name = s.string { members.insert(name) } }
        }
        var out: [ToolScore] = []
        for (task, entry) in results {
            let taskPath = JSONDocument.member("$.results", task)
            guard let metrics = entry.object else {
                throw IngestError(file: file, line: line(taskPath), message: "at \(taskPath): expected an object of metrics; found \(entry.kind)")
            }
            for (key, value) in metrics {
                // `alias` names the task; `<metric>_stderr,<filter>` is the standard error, not a score.
                guard key != "alias", key.contains(","), !key.split(separator: ",")[0].hasSuffix("_stderr") else { continue }
                let path = JSONDocument.member(taskPath, key)
                let v: Double
                switch value {
                case .number(let d) where d.isFinite: v = d
                case .string("N/A"), .null: continue // lm-eval's "not computed"
                default:
                    throw IngestError(file: file, line: line(path), message: "at \(path): the score is \(value.kind); expected a number")
                }
                out.append(ToolScore(tool: .lmEval, toolVersion: version, file: fileName(file), place: path, line: line(path), task: task,
                                     metric: key, value: v, shots: shots[task], configHash: hashes[task], isGroupMember: members.contains(task)))
            }
        }
        scores = out
    }
}
