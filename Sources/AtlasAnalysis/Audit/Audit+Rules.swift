import Foundation

extension Audit {
    /// Runs whose values coincide in too many columns to be chance. Runs identical in every column are
    /// one finding however many they are; the rest are compared in pairs, whose candidates come from equal
    /// values (a value shared by more than 50 runs of a column, such as 0, says little and finds no
    /// candidates). O(runs × columns) plus the candidates: about 20 ms for the release.
    static func duplicates(_ a: AuditInput) -> [AuditResult.Finding] {
        let n = a.runs.count, m = a.columns.count
        guard n >= 2 else { return [] }
        // Each column's chance that two runs with values agree: the share of equal pairs among its pairs. The
        // chances and the number of pairs are the release's (every pair is still compared, a user's runs too).
        let reference = a.referenceRuns
        var chance = [Double](repeating: 1, count: m)
        for c in 0..<m {
            var counts: [Double: Int] = [:]
            var present = 0
            for i in reference { let v = a.value(i, c); if !v.isNaN { counts[v, default: 0] += 1; present += 1 } }
            let pairs = Double(present) * Double(present - 1) / 2
            if pairs > 0 { chance[c] = max(counts.values.reduce(0.0) { $0 + Double($1) * Double($1 - 1) / 2 } / pairs, 1e-12) }
        }
        let pairCount = Double(reference.count) * Double(max(reference.count - 1, 1)) / 2
        func finding(_ runs: [Int], equal: [Int], shared: Int) -> AuditResult.Finding? {
            guard equal.count >= minIdentical, 2 * equal.count >= shared else { return nil }
            // The chance of these coincidences for one pair, and for any of all pairs (at most 1).
            let logChance = equal.reduce(0.0) { $0 + log10(chance[$1]) }
            let family = min(1, pow(10, logChance) * pairCount)
            guard family < duplicateFamilyChance else { return nil }
            let ids = runs.map { a.runs[$0].id }
            let who = ids.count == 2 ? "\(ids[0]) and \(ids[1]) have" : "\(ids.count) runs (\(ids.prefix(3).joined(separator: ", "))\(ids.count > 3 ? ", …" : "")) have"
            return AuditResult.Finding(
                kind: .duplicate, runs: ids, columns: equal.map { a.columns[$0].id },
                detail: "\(who) identical values in \(equal.count) of the \(shared) columns they have; by chance about 1 in 10^\(Int(-logChance.rounded())) for one pair.",
                evidence: ["identical": Double(equal.count), "shared": Double(shared), "runs": Double(ids.count),
                           "log10_chance": (logChance * 100).rounded() / 100, "all_pairs_chance": family],
                explained: nil)
        }
        // Runs identical in every column (missing ones included): one group each, one representative onward.
        var groups: [[UInt64]: [Int]] = [:]
        for i in 0..<n { groups[(0..<m).map { a.value(i, $0).isNaN ? UInt64.max : a.value(i, $0).bitPattern }, default: []].append(i) }
        var out: [AuditResult.Finding] = []
        var representatives: [Int] = []
        for members in groups.values.sorted(by: { $0[0] < $1[0] }) {
            representatives.append(members[0])
            if members.count >= 2 {
                let present = (0..<m).filter { !a.value(members[0], $0).isNaN }
                if let f = finding(members, equal: present, shared: present.count) { out.append(f) }
            }
        }
        var together: [Int: Int] = [:] // i * n + j (i < j) → columns in which they share a rare value
        for c in 0..<m {
            var buckets: [Double: [Int]] = [:]
            for i in representatives { let v = a.value(i, c); if !v.isNaN { buckets[v, default: []].append(i) } }
            // A value shared by more than 50 of the release's runs is common, not a sign of copying (a user's runs
            // do not count toward that, but a bucket is never paired past 500 runs).
            for runs in buckets.values where runs.count >= 2 && runs.count <= 500 && runs.filter({ !a.runs[$0].isUser }).count <= 50 {
                for x in 0..<runs.count { for y in (x + 1)..<runs.count { together[min(runs[x], runs[y]) * n + max(runs[x], runs[y]), default: 0] += 1 } }
            }
        }
        for key in together.keys.sorted() where together[key]! >= 2 {
            let (i, j) = (key / n, key % n)
            var shared = 0, equal: [Int] = []
            for c in 0..<m {
                let x = a.value(i, c), y = a.value(j, c)
                if x.isNaN || y.isNaN { continue }
                shared += 1
                if x == y { equal.append(c) }
            }
            if let f = finding([i, j], equal: equal, shared: shared) { out.append(f) }
        }
        return out.sorted { $0.runs.lexicographicallyPrecedes($1.runs) }
    }

    /// Cells far below both the base's value and the median of the run's group (the same base and method).
    static func collapsed(_ a: AuditInput) -> [AuditResult.Finding] {
        var baseRow: [String: Int] = [:]
        for (i, r) in a.runs.enumerated() where r.isBase && baseRow[r.base] == nil { baseRow[r.base] = i }
        var groups: [String: [Int]] = [:]
        for (i, r) in a.runs.enumerated() where !r.isBase { groups["\(r.base)|\(r.method ?? "")", default: []].append(i) }
        var out: [AuditResult.Finding] = []
        for (c, column) in a.columns.enumerated() {
            guard let lo = column.scaleMin, let hi = column.scaleMax, hi > lo else { continue }
            let span = hi - lo
            for (key, members) in groups.sorted(by: { $0.key < $1.key }) {
                // The group's median is the release's (a user's runs are judged by it, not part of it); a group of
                // a user's own base has only theirs.
                let reference = members.contains { !a.runs[$0].isUser } ? members.filter { !a.runs[$0].isUser } : members
                let sorted = reference.map { a.value($0, c) }.filter { !$0.isNaN }.sorted()
                guard sorted.count >= minSiblings else { continue }
                let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
                for i in members {
                    let r = a.runs[i], v = a.value(i, c)
                    guard !v.isNaN, let b = baseRow[r.base].map({ a.value($0, c) }), !b.isNaN else { continue }
                    guard v < collapseFactor * b, v < collapseFactor * median, min(b, median) - v >= collapseSpan * span else { continue }
                    out.append(AuditResult.Finding(
                        kind: .collapsed, runs: [r.id], columns: [column.id],
                        detail: "\(r.id) scores \(fmt(v)) on \(column.id): its base scores \(fmt(b)), and the median of the \(sorted.count) runs of \(key.replacingOccurrences(of: "|", with: ", ")) is \(fmt(median)).",
                        evidence: ["value": v, "base": b, "group_median": median, "group": Double(sorted.count), "below_median": median - v],
                        explained: nil))
                }
            }
        }
        return out.sorted { $0.runs != $1.runs ? $0.runs.lexicographicallyPrecedes($1.runs) : $0.columns.lexicographicallyPrecedes($1.columns) }
    }

    /// Runs missing values in common columns (grouped by what they miss), and columns few runs have.
    static func incomplete(_ a: AuditInput) -> [AuditResult.Finding] {
        let n = a.runs.count
        guard n > 0 else { return [] }
        var out: [AuditResult.Finding] = []
        // Which columns are sparse or common is the release's to say (all runs' when there are only a user's):
        // a column only a user's runs have is theirs, not a gap in the release.
        let reference = a.referenceRuns
        let m = reference.count
        let present = a.columns.indices.map { c in reference.filter { !a.value($0, c).isNaN }.count }
        for (c, column) in a.columns.enumerated() where (m == n || present[c] > 0) && Double(present[c]) < sparseColumn * Double(m) {
            out.append(AuditResult.Finding(kind: .incomplete, runs: [], columns: [column.id],
                                           detail: "\(column.id) has values for only \(present[c]) of \(m) runs.",
                                           evidence: ["present": Double(present[c]), "runs": Double(m)], explained: nil))
        }
        let common = a.columns.indices.filter { Double(present[$0]) >= commonColumn * Double(m) }
        // Grouped by what they miss, a user's runs apart from the release's (so that a user's run missing the same
        // columns as a release group neither joins it nor costs it the paper's explanation).
        var groups: [[Int]: [Int]] = [:]
        for i in 0..<n {
            let missing = common.filter { a.value(i, $0).isNaN }
            if !missing.isEmpty { groups[[a.runs[i].isUser ? 1 : 0] + missing, default: []].append(i) }
        }
        for (key, runs) in groups.sorted(by: { ($0.value.first ?? 0) < ($1.value.first ?? 0) }) {
            let missing = Array(key.dropFirst())
            let ids = runs.map { a.runs[$0].id }, columns = missing.map { a.columns[$0].id }
            // The paper's reason, where one covers these runs: for all their missing columns, or for some
            // (then the finding says which it leaves unexplained).
            var reason: String?
            for e in a.explanations {
                let runsMatch = runs.allSatisfy { i in
                    let r = a.runs[i]
                    return r.base == e.base && (e.method == nil || r.method == e.method) && (e.dataset == nil || r.dataset == e.dataset)
                        && (e.epochs.map { $0.contains(r.epochs) } ?? true)
                }
                let covered = missing.filter { c in e.fewShotOnly ? (a.columns[c].shots ?? 0) > 0 : (e.columns?.contains(a.columns[c].id) ?? true) }
                guard runsMatch, !covered.isEmpty else { continue }
                let rest = missing.filter { !covered.contains($0) }.map { a.columns[$0].id }
                reason = e.reason + (rest.isEmpty ? "" : "; it does not explain \(rest.joined(separator: ", "))")
                break
            }
            out.append(AuditResult.Finding(
                kind: .incomplete, runs: ids, columns: columns,
                detail: "\(ids.count) run\(ids.count == 1 ? "" : "s") miss\(ids.count == 1 ? "es" : "") \(columns.count) column\(columns.count == 1 ? "" : "s") that most runs have: \(columns.prefix(6).joined(separator: ", "))\(columns.count > 6 ? ", …" : "").",
                evidence: ["runs": Double(ids.count), "columns": Double(columns.count)], explained: reason))
        }
        return out
    }

    /// Values outside their column's scale, and columns whose values fit another scale.
    static func scale(_ a: AuditInput) -> [AuditResult.Finding] {
        var out: [AuditResult.Finding] = []
        for (c, column) in a.columns.enumerated() {
            let values = a.runs.indices.map { a.value($0, c) }.filter { !$0.isNaN }
            guard let top = values.max() else { continue }
            if let lo = column.scaleMin, let hi = column.scaleMax {
                for (i, r) in a.runs.enumerated() {
                    let v = a.value(i, c)
                    if !v.isNaN, v < lo || v > hi {
                        out.append(AuditResult.Finding(kind: .scale, runs: [r.id], columns: [column.id],
                                                       detail: "\(r.id) has \(fmt(v)) on \(column.id), outside its scale \(fmt(lo))–\(fmt(hi)).",
                                                       evidence: ["value": v, "scale_min": lo, "scale_max": hi], explained: nil))
                    }
                }
            }
            let misfit: String?
            switch column.unit {
            case "percent": misfit = values.count >= 5 && top <= 1 && top > 0 ? "every value of this percentage column lies within 0–1, as fractions would" : nil
            case "fraction": misfit = top > 1 ? "this 0–1 column has values up to \(fmt(top)), as percentages would" : nil
            case "rating": misfit = top > 10 ? "this 1–10 column has values up to \(fmt(top))" : nil
            default: misfit = nil
            }
            if let misfit {
                out.append(AuditResult.Finding(kind: .scale, runs: [], columns: [column.id], detail: "\(column.id): \(misfit).",
                                               evidence: ["max": top, "values": Double(values.count)], explained: nil))
            }
        }
        return out
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 1000).rounded() / 1000
        return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : "\(r)"
    }
}
