import AtlasDomain
import Foundation

/// The data's own faults, found at ingest: each kind a documented rule with its thresholds, each finding
/// a record of the runs and columns involved, the values that are its evidence, and a sentence.
public struct AuditResult: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case duplicate, collapsed, incomplete, scale
        case planGap = "plan-gap"
    }

    public struct Finding: Codable, Equatable, Sendable {
        public var kind: Kind
        public var runs: [String]
        public var columns: [String]
        public var detail: String
        /// The numbers behind the finding, by name (`identical`, `shared`, `value`, `base`, `median`, …).
        public var evidence: [String: Double]
        /// The paper's own explanation, where it gives one.
        public var explained: String?
    }

    public var definition: String
    public var rules: [String: String]
    public var findings: [Finding]

    public func count(_ kind: Kind) -> Int { findings.filter { $0.kind == kind }.count }
}

/// What the audit reads: every run (the release's and a user's) with its values, the columns with their
/// scales, the plan's absent cells, and the paper's stated reasons for gaps.
public struct AuditInput: Sendable {
    /// The runs the audit's statistics come from: the release's, or every run when there are only a user's.
    var referenceRuns: [Int] {
        let release = runs.indices.filter { !runs[$0].isUser }
        return release.isEmpty ? Array(runs.indices) : release
    }

    public struct Run: Sendable {
        public var id: String, base: String, dataset: String?, method: String?, epochs: Int, isBase: Bool
        /// A user's run: judged against the release's groups and columns, but no part of them, so that adding
        /// runs does not change what the audit says of the release.
        public var isUser: Bool
        public init(id: String, base: String, dataset: String?, method: String?, epochs: Int, isBase: Bool, isUser: Bool = false) {
            (self.id, self.base, self.dataset, self.method, self.epochs, self.isBase, self.isUser) = (id, base, dataset, method, epochs, isBase, isUser)
        }
    }
    public struct Column: Sendable {
        public var id: String, unit: String, scaleMin: Double?, scaleMax: Double?, shots: Int?
        public init(id: String, unit: String, scaleMin: Double?, scaleMax: Double?, shots: Int?) {
            (self.id, self.unit, self.scaleMin, self.scaleMax, self.shots) = (id, unit, scaleMin, scaleMax, shots)
        }
    }
    /// A planned run that is absent, and why when known.
    public struct Gap: Sendable {
        public var id: String, study: String, reason: String?
        public init(id: String, study: String, reason: String?) { (self.id, self.study, self.reason) = (id, study, reason) }
    }
    /// A reason the paper gives for missing values: the runs (by base, method, dataset, epochs) and the
    /// columns (every few-shot one, or those listed) it covers.
    public struct Explanation: Sendable {
        public var base: String, method: String?, dataset: String?, epochs: ClosedRange<Int>?, fewShotOnly: Bool, columns: [String]?, reason: String
        public init(base: String, method: String?, dataset: String?, epochs: ClosedRange<Int>?, fewShotOnly: Bool, columns: [String]?, reason: String) {
            (self.base, self.method, self.dataset, self.epochs, self.fewShotOnly, self.columns, self.reason) = (base, method, dataset, epochs, fewShotOnly, columns, reason)
        }
    }

    public var runs: [Run]
    public var columns: [Column]
    /// Run-major values: `values[i * columns.count + c]`; NaN where missing.
    public var values: [Double]
    public var gaps: [Gap]
    public var explanations: [Explanation]

    public init(runs: [Run], columns: [Column], values: [Double], gaps: [Gap], explanations: [Explanation]) {
        (self.runs, self.columns, self.values, self.gaps, self.explanations) = (runs, columns, values, gaps, explanations)
    }

    func value(_ i: Int, _ c: Int) -> Double { values[i * columns.count + c] }
}

public enum Audit {
    /// Thresholds, stated once: they are the rules' text in every document.
    public static let minIdentical = 5, minSiblings = 5
    public static let duplicateFamilyChance = 0.01, collapseFactor = 0.5, collapseSpan = 0.1
    public static let sparseColumn = 0.1, commonColumn = 0.9

    public static let rules: [String: String] = [
        AuditResult.Kind.duplicate.rawValue: "Two runs with identical values in at least \(minIdentical) columns and in at least half the columns both have, where the chance of so many coincidences is below \(duplicateFamilyChance) over all pairs: each column's chance that two runs agree is the share of equal pairs among its pairs, and a pair's chance is the product over its equal columns (the shares and the number of pairs are the release's; a user's runs are judged by them).",
        AuditResult.Kind.collapsed.rawValue: "A fine-tuned run's value below \(collapseFactor) × its base's and below \(collapseFactor) × the median of its group (the fine-tuned runs of the same base and method; at least \(minSiblings) with a value), and at least \(Int(collapseSpan * 100))% of the column's scale under both: an answer-format failure more than lost ability.",
        AuditResult.Kind.incomplete.rawValue: "Runs missing values in columns that at least \(Int(commonColumn * 100))% of runs have, grouped by the columns they miss; and columns with values for fewer than \(Int(sparseColumn * 100))% of runs. The paper's stated reasons are cited where they match.",
        AuditResult.Kind.scale.rawValue: "A value outside its column's declared scale; or a column whose values fit another scale (a percentage column with every value within 0–1, a fraction above 1, a 1–10 rating above 10).",
        AuditResult.Kind.planGap.rawValue: "A run the study planned that is absent, with the known reason or 'absent from the release'.",
    ]

    public static func run(_ input: AuditInput) -> AuditResult {
        var findings = duplicates(input)
        findings += collapsed(input)
        findings += incomplete(input)
        findings += scale(input)
        findings += input.gaps.map { g in
            AuditResult.Finding(kind: .planGap, runs: [g.id], columns: [], detail: "\(g.id) (\(g.study)) is planned but absent: \(g.reason ?? "absent from the release").",
                                evidence: [:], explained: g.reason)
        }
        return AuditResult(definition: "Faults the data may hold, found by documented rules (see 'rules'); each finding names its runs and columns and gives its evidence.",
                           rules: rules, findings: findings)
    }
}

extension AuditResult {
    /// The result as JSON, keys sorted, as `JSONEncoder` with `.sortedKeys` would write it but written
    /// directly: at 100× the release (108,000 findings) the encoder took 1.1 s of the audit's 1.9 s.
    /// Evidence values that are not finite are left out (JSON has no NaN).
    public var json: String {
        var out = ""
        out.reserveCapacity(256 + findings.count * 400)
        out += "{\"definition\":"
        Self.string(definition, into: &out)
        out += ",\"findings\":["
        for (n, f) in findings.enumerated() {
            if n > 0 { out += "," }
            out += "{\"columns\":"
            Self.strings(f.columns, into: &out)
            out += ",\"detail\":"
            Self.string(f.detail, into: &out)
            out += ",\"evidence\":{"
            var first = true
            for key in f.evidence.keys.sorted() {
                guard let v = f.evidence[key], v.isFinite else { continue }
                if !first { out += "," }
                first = false
                Self.string(key, into: &out)
                out += ":"
                out += v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
            }
            out += "}"
            if let e = f.explained { out += ",\"explained\":"; Self.string(e, into: &out) }
            out += ",\"kind\":"
            Self.string(f.kind.rawValue, into: &out)
            out += ",\"runs\":"
            Self.strings(f.runs, into: &out)
            out += "}"
        }
        out += "],\"rules\":{"
        for (n, key) in rules.keys.sorted().enumerated() {
            if n > 0 { out += "," }
            Self.string(key, into: &out)
            out += ":"
            Self.string(rules[key]!, into: &out)
        }
        out += "}}"
        return out
    }

    private static func strings(_ xs: [String], into out: inout String) {
        out += "["
        for (n, x) in xs.enumerated() {
            if n > 0 { out += "," }
            string(x, into: &out)
        }
        out += "]"
    }

    private static func string(_ s: String, into out: inout String) { JSONText.quote(s, into: &out) }
}
