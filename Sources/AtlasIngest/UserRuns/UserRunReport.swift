import AtlasStore

/// What ingest says of each user run: its mean gain over its base on the main benchmarks it has (each put
/// on 0–100, as the site's average is) and where that puts it among the release's fine-tuned runs of the
/// same base, each compared on the same benchmarks.
enum UserRunReport {
    static func lines(_ r: ResultSet) -> [String] {
        let main = r.columns.indices.filter { r.columns[$0].isMain }
        func baseRow(_ base: String) -> Int? {
            r.runs.indices.first { r.runs[$0].key.isBase && r.runs[$0].key.baseID == base && !r.runs[$0].isUser }
                ?? r.runs.indices.first { r.runs[$0].key.isBase && r.runs[$0].key.baseID == base }
        }
        /// The mean normalized gain of run `i` over base row `b` on `columns`; nil when any is missing.
        func meanGain(_ i: Int, _ b: Int, _ columns: [Int]) -> Double? {
            guard !columns.isEmpty else { return nil }
            var sum = 0.0
            for c in columns {
                let v = r.score(run: i, column: c), base = r.score(run: b, column: c)
                guard !v.isNaN, !base.isNaN else { return nil }
                sum += (v - base) * r.columns[c].unit.toHundred
            }
            return sum / Double(columns.count)
        }
        var out: [String] = []
        for (i, run) in r.runs.enumerated() where run.isUser && !run.key.isBase {
            guard let b = baseRow(run.key.baseID) else { out.append("\(run.id): its base has no scores, so no gain"); continue }
            let shared = main.filter { !r.score(run: i, column: $0).isNaN && !r.score(run: b, column: $0).isNaN }
            guard let gain = meanGain(i, b, shared) else {
                out.append("\(run.id): no main-benchmark score shared with its base, so no gain")
                continue
            }
            let cents = Int((abs(gain) * 100).rounded())
            let text = (gain >= 0 ? "+" : "−") + "\(cents / 100).\(String(cents % 100 + 100).dropFirst())"
            let line = "\(run.id): mean gain \(text) points over \(run.key.baseID) on \(shared.count) main benchmark\(shared.count == 1 ? "" : "s")"
            let peers = r.runs.indices.filter { !r.runs[$0].isUser && !r.runs[$0].key.isBase && r.runs[$0].key.baseID == run.key.baseID }
                .compactMap { meanGain($0, b, shared) }
            if peers.isEmpty {
                out.append(line + "; the release has no runs of that base to rank it among")
            } else {
                out.append(line + "; rank \(peers.filter { $0 > gain }.count + 1) of \(peers.count + 1) among the release's runs of that base on the same benchmarks")
            }
        }
        return out
    }
}
