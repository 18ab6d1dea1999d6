/// The registered name a misspelt one most likely meant, for "did you mean" in messages.
enum Suggestion {
    /// The shortest candidate that starts with `name` (a name cut short: 'alpaca' for 'alpaca_cleaned'), else
    /// the nearest by edit distance when it is within a quarter of the name's length (at least 2); nil when
    /// nothing is that close. A longer name is not matched to a candidate it starts with ('Qwen2.5-7B-Instruct'
    /// is not 'Qwen2.5-7B'), nor a name shorter than 4 to anything.
    /// Letters are compared without case, and `-`, `_` and spaces count as one.
    static func closest(_ name: String, among candidates: [String]) -> String? {
        func fold(_ s: String) -> [Character] { Array(s.lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 }) }
        let n = fold(name)
        guard n.count >= 4, n.count <= 200 else { return nil }
        let folded = candidates.map { ($0, fold($0)) }
        if let prefix = folded.filter({ $0.1.starts(with: n) }).min(by: { $0.1.count < $1.1.count }) { return prefix.0 }
        var best: (String, Int)?
        for (c, f) in folded where abs(f.count - n.count) <= max(2, n.count / 4) {
            let d = distance(n, f)
            if d <= max(2, n.count / 4), d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    /// Levenshtein distance, in one row of O(|b|) memory.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
