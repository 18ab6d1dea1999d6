import AtlasDomain
import Foundation

/// The paper's headline claims, each with the statistic recomputed from the data and a verdict.
public struct ClaimsResult: Codable, Equatable, Sendable {
    public enum Verdict: String, Codable, Sendable {
        case supported
        case partlySupported = "partly supported"
        case notSupported = "not supported"
        case notCheckable = "not checkable from the released results"
    }

    public struct Claim: Codable, Equatable, Sendable {
        public var id: String
        /// The claim, in the paper's terms.
        public var claim: String
        /// The analysis it rests on (a JSON document name).
        public var analysis: String?
        /// The recomputed statistic, in words with its numbers.
        public var statistic: String
        public var verdict: Verdict
        /// Why the verdict follows from the statistic.
        public var reasoning: String
        /// The statistic and verdict with flagged data left out (see `Sensitivity`); nil before the audit.
        public var sensitivity: [Variant]?
        /// Whether any variant's verdict differs from the claim's, and which findings it hinges on.
        public var fragile: Bool?
        public var hingesOn: String?

        enum CodingKeys: String, CodingKey {
            case id, claim, analysis, statistic, verdict, reasoning, sensitivity, fragile
            case hingesOn = "hinges_on"
        }
    }

    /// One way of leaving flagged data out, and what the claim's statistic and verdict become.
    public struct Variant: Codable, Equatable, Sendable {
        public var variant: String
        public var statistic: String
        public var verdict: Verdict
    }

    public var claims: [Claim]
    /// The main statistic of each figure no claim covers, with its variants (see `FigureStatistic`).
    public var figureStatistics: [FigureStatistic]?

    enum CodingKeys: String, CodingKey {
        case claims
        case figureStatistics = "figure_statistics"
    }

    public init(pca: [String: PCAResult], correlation: [String: ModelCorrelationResult], gains: [String: GainMatrixResult],
                map: ScoreMapResult, crossLingual: CrossLingualResult, similarity: [String: SimilarityTestResult],
                families: [String: String], length: DatasetLengthResult? = nil, perplexity: PerplexityResult? = nil,
                weights: WeightChangeResult? = nil) {
        var claims: [Claim] = []

        // Perplexity predicts gains (Fig. 4a): lower perplexity, larger gains, so a negative r.
        let pplClaim = "The perplexity of the training data under the base model predicts SFT gains."
        if let perplexity, let overall = perplexity.correlations.first(where: { $0.group == PerplexityResult.everyCell }), let r = overall.r {
            let perBase = perplexity.correlations.dropFirst().compactMap(\.r), bench = perplexity.byBenchmark.compactMap(\.r)
            let negative = perBase.filter { $0 < 0 }.count
            let verdict: Verdict = r <= -0.3 && 2 * negative >= perBase.count ? .supported : r < 0 ? .partlySupported : .notSupported
            claims.append(Claim(
                id: "perplexity", claim: pplClaim, analysis: "perplexity",
                statistic: "r(log perplexity, gain) = \(Format.number(r)) over \(overall.n) (base, dataset) cells; negative for \(negative) of \(perBase.count) bases"
                    + (bench.isEmpty ? "" : " and \(bench.filter { $0 < 0 }.count) of \(bench.count) main benchmarks"),
                verdict: verdict,
                reasoning: "Supported when lower perplexity goes with larger gains clearly (r ≤ −0.3 over all cells) and for at least half the bases; partly "
                    + "when r is negative but weaker, or most bases disagree; not supported when r ≥ 0. The perplexities are a side table, not the release."))
        } else {
            claims.append(Claim(
                id: "perplexity", claim: pplClaim,
                analysis: nil, statistic: "Perplexities were not released with the results.", verdict: .notCheckable,
                reasoning: "The released file holds benchmark scores only. Supply a side table (ingest --side ppl.csv, header base,dataset,perplexity[,mean_tokens]) to check it."))
        }
        // Mid-layer changes track gains most closely (Fig. 5a): r peaks in the middle positions.
        let midClaim = "Changes in the middle layers' weights track the gains most closely."
        let layerRs = weights?.positions.compactMap { p in p.r.map { (p.position, $0) } } ?? []
        if let weights, !layerRs.isEmpty {
            let middle = layerRs.filter { (0.3...0.8).contains($0.0) }, ends = layerRs.filter { !(0.3...0.8).contains($0.0) }
            let peak = layerRs.max { $0.1 < $1.1 }!
            let bestMiddle = middle.map(\.1).max() ?? -.infinity, bestEnds = ends.map(\.1).max() ?? -.infinity
            let verdict: Verdict = bestMiddle > 0 && bestMiddle >= bestEnds + 0.05 ? .supported : bestMiddle > 0 && bestMiddle > bestEnds ? .partlySupported : .notSupported
            let perBase = weights.correlations.dropFirst().compactMap(\.r)
            claims.append(Claim(
                id: "mid-layer-weights", claim: midClaim, analysis: "weight-change",
                statistic: "r(change, gain) over \(weights.runs) runs peaks at position \(Format.number(peak.0)) (r = \(Format.number(peak.1))); best in 0.3–0.8 "
                    + "\(Format.number(bestMiddle)), at the ends \(Format.number(bestEnds))"
                    + (perBase.isEmpty ? "" : "; at the layer nearest 0.6, r per base from \(Format.number(perBase.min()!)) to \(Format.number(perBase.max()!))"),
                verdict: verdict,
                reasoning: "Supported when the correlation between a layer's change and the gain is highest in the middle positions (0.3–0.8), by at least 0.05 "
                    + "over the ends, and positive; partly when higher by less. The weight changes are a side table, not the release."))
        } else {
            claims.append(Claim(
                id: "mid-layer-weights", claim: midClaim,
                analysis: nil, statistic: "Weight changes were not released with the results.", verdict: .notCheckable,
                reasoning: "The released file holds benchmark scores only. Compute them with sftatlas weights and supply the CSV (ingest --side changes.csv) to check it."))
        }

        // Length matters only modestly (Fig. 4b), from the paper's Table 2 lengths.
        if let length, let overall = length.correlations.first(where: { $0.group == DatasetLengthResult.everyCell }), let r = overall.r {
            let perBase = length.correlations.dropFirst().compactMap(\.r)
            let strong = perBase.filter { abs($0) >= 0.5 }.count
            let verdict: Verdict = abs(r) >= 0.5 ? .notSupported : abs(r) >= 0.1 ? .supported : .partlySupported
            claims.append(Claim(
                id: "length", claim: "A dataset's mean length correlates only modestly with the gains it brings.",
                analysis: "dataset-length",
                statistic: "r = \(Format.number(r)) over \(overall.n) (base, dataset) cells, lengths in words (Table 2)"
                    + (perBase.isEmpty ? "" : "; per base from \(Format.number(perBase.min()!)) to \(Format.number(perBase.max()!)), |r| ≥ 0.5 for \(strong) of \(perBase.count)")
                    + (length.acrossDatasets.r.map { "; over the \(length.acrossDatasets.n) datasets' mean gains r = \(Format.number($0))" } ?? ""),
                verdict: verdict,
                reasoning: "Supported when the overall correlation is modest (0.1 ≤ |r| < 0.5); partly when there is none (|r| < 0.1: length does not drive gains, "
                    + "but the correlation is not even modest); not supported when |r| ≥ 0.5. Lengths are words, not the paper's tokens."))
        }

        // About five principal components explain over 90% of the variance.
        let five = PaperAnalyses.methods.compactMap { m in pca[m].flatMap { $0.cumulative.count >= 5 ? (m, $0.cumulative[4]) : nil } }
        let needed = PaperAnalyses.methods.compactMap { m in pca[m].flatMap { r in r.cumulative.firstIndex { $0 >= 0.9 }.map { (m, $0 + 1) } } }
        let pcaVerdict: Verdict = five.isEmpty ? .notSupported
            : five.allSatisfy { $0.1 >= 0.9 } ? .supported
            : five.contains { $0.1 >= 0.9 } || needed.contains { $0.1 <= 6 } ? .partlySupported : .notSupported
        claims.append(Claim(
            id: "five-components", claim: "About five principal components explain over 90% of the variance of the gains.",
            analysis: "pca",
            statistic: five.map { "\($0.0): first five explain \(Format.percent($0.1))" }.joined(separator: "; ")
                + "; components needed for 90%: " + needed.map { "\($0.0) \($0.1)" }.joined(separator: ", "),
            verdict: pcaVerdict,
            reasoning: "Supported when five components reach 90% for both methods; partly when one does or six suffice."))

        // Synergies: some dataset–benchmark effects have one sign for every base, others differ by base.
        var synergyParts: [String] = []
        var shares: [(consistent: Double, mixed: Double)] = []
        for m in PaperAnalyses.methods {
            guard let g = gains[m] else { continue }
            var consistent = 0, mixed = 0
            for d in g.datasets.indices {
                for k in g.benchmarks.indices {
                    let xs = g.perBase.compactMap { $0[d][k] }
                    guard xs.count == g.bases.count, !xs.isEmpty else { continue }
                    if xs.allSatisfy({ $0 > 0 }) || xs.allSatisfy({ $0 < 0 }) { consistent += 1 } else { mixed += 1 }
                }
            }
            let total = Double(max(consistent + mixed, 1))
            shares.append((Double(consistent) / total, Double(mixed) / total))
            synergyParts.append("\(m): \(consistent) of \(consistent + mixed) dataset × benchmark cells have the same sign for every base, \(mixed) differ")
            if let s = similarity[m], let t = s.t, let p = s.p {
                synergyParts.append("\(m) similarity test t = \(Format.number(t)), p = \(Format.number(p))")
            }
        }
        let synergyVerdict: Verdict = shares.isEmpty ? .notSupported
            : shares.allSatisfy { $0.consistent >= 0.1 && $0.mixed >= 0.1 } ? .supported
            : shares.contains { $0.consistent > 0 && $0.mixed > 0 } ? .partlySupported : .notSupported
        claims.append(Claim(
            id: "synergies", claim: "Some dataset–benchmark synergies hold for every model, while others are model-specific.",
            analysis: "gain-matrix", statistic: synergyParts.joined(separator: "; "), verdict: synergyVerdict,
            reasoning: "Supported when, for both methods, at least 10% of cells agree in sign across every base and at least 10% do not."))

        // The map of models is organized by model family.
        let byBase = map.silhouetteByBase ?? .nan, byDataset = map.silhouetteByDataset ?? .nan
        var familyStat = "silhouette by base \(Format.number(byBase)), by dataset \(Format.number(byDataset))"
        var within: [Double] = [], between: [Double] = []
        if let c = correlation[Method.full.rawValue] {
            for i in c.labels.indices {
                for j in 0..<i {
                    guard let r = c.matrix[i][j] else { continue }
                    let same = families[c.labels[i].id] == families[c.labels[j].id]
                    if same { within.append(r) } else { between.append(r) }
                }
            }
            if !within.isEmpty, !between.isEmpty {
                familyStat += "; full-parameter gain correlation within a family \(Format.number(within.reduce(0, +) / Double(within.count)))"
                    + " vs across families \(Format.number(between.reduce(0, +) / Double(between.count)))"
            }
        }
        let familyVerdict: Verdict = byBase >= 0.25 && byBase > byDataset + 0.1 ? .supported
            : byBase > byDataset ? .partlySupported : .notSupported
        claims.append(Claim(
            id: "family-map", claim: "A map of all the fine-tuned models is organized by model family.",
            analysis: "score-map", statistic: familyStat, verdict: familyVerdict,
            reasoning: "Supported when bases form clear clusters in the map (silhouette by base at least 0.25) and separate better "
                + "than datasets (by over 0.1); partly supported when bases separate better than datasets but not clearly. "
                + "The map is built from benchmark scores, not the paper's log-likelihood vectors."))

        // Cross-lingual transfer.
        let overall = crossLingual.pairs.filter { $0.group == CrossLingualResult.everyBase && $0.first == "mmlu-0shot" }
        let rs = overall.compactMap(\.r)
        let crossVerdict: Verdict = rs.count < 2 ? .notSupported : rs.allSatisfy { $0 > 0.5 } ? .supported : rs.allSatisfy { $0 > 0.3 } ? .partlySupported : .notSupported
        claims.append(Claim(
            id: "cross-lingual", claim: "Gains on English MMLU carry over to its Japanese and Chinese versions.",
            analysis: "cross-lingual",
            statistic: overall.map { "r(\($0.first), \($0.second)) = \($0.r.map(Format.number) ?? "n/a") over \($0.n) runs" }.joined(separator: "; "),
            verdict: crossVerdict, reasoning: "Supported when both correlations exceed 0.5; partly when both exceed 0.3."))

        self.claims = claims
    }
}

/// Plain number formatting for the claims' sentences.
enum Format {
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        if x != 0, abs(x) < 0.001 { return String(format: "%.2e", x) }
        let scaled = (x * 1000).rounded() / 1000
        return String(scaled)
    }

    static func percent(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        return String((x * 1000).rounded() / 10) + "%"
    }
}
