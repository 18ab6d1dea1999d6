import AtlasAnalysis
import AtlasStore
import Foundation

/// Generated side tables for a result set: perplexities and layer-wise weight changes shaped after the
/// paper's findings, so that Figs. 4a and 5 can be drawn where real side data are not available (the demo,
/// and `atlas-bench side-tables` for the release). They are synthetic: made from the scores, not measured.
///
/// Perplexity of (base, dataset): log perplexity = 1.5 − 0.25 z + 0.15 ε, where z is the cell's gain
/// standardized over the cells and ε ~ N(0, 1); mean tokens = Table 2's words × a per-base 1.2–1.6.
/// Weight change of a run's layer at position p: (0.6 + p) × 10⁻³ (LoRA ×0.3, ×(1 + epochs/10)) ×
/// (1 + 0.4 w(p) z + 0.1 ε), with w(p) = exp(−((p − 0.6)/0.15)²) and z the run's standardized gain: growing
/// toward the output, tracking the gain most near position 0.6. Bases have 32 layers (Qwen 28, Yi 48, Gemma 42).
public enum SyntheticSideTables {
    public static let perplexityFile = "synthetic-perplexity.csv", weightsFile = "synthetic-weight-changes.csv"

    static func layers(_ base: String) -> Int {
        base.hasPrefix("qwen") ? 28 : base.hasPrefix("yi") ? 48 : base.hasPrefix("gemma") ? 42 : 32
    }

    /// Writes the two tables into `folder`; returns their paths.
    public static func write(_ r: ResultSet, in folder: String, seed: UInt64) throws -> [String] {
        let table = AnalysisInput.table(r)
        var rng = SplitMix64(seed: seed ^ 0x51DE)
        // Perplexities from the cells' gains.
        var cells: [(String, String, Double)] = []
        for b in table.mainBases { for d in table.datasets { if let g = table.cellGain(base: b.id, dataset: d.id) { cells.append((b.id, d.id, g.gain)) } } }
        func standardize(_ xs: [Double]) -> [Double] {
            let m = xs.reduce(0, +) / Double(max(xs.count, 1))
            let sd = (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(xs.count - 1, 1))).squareRoot()
            return xs.map { sd > 0 ? ($0 - m) / sd : 0 }
        }
        let z = standardize(cells.map(\.2))
        var factor: [String: Double] = [:]
        for b in table.bases { factor[b.id] = rng.uniform(1.2, 1.6) }
        var ppl = "base,dataset,perplexity,mean_tokens\n"
        for (k, c) in cells.enumerated() {
            let p = exp(1.5 - 0.25 * z[k] + 0.15 * rng.normal())
            let tokens = table.datasetLength[c.1].map { String(format: "%.1f", $0 * factor[c.0]!) } ?? ""
            ppl += "\(c.0),\(c.1),\(String(format: "%.4f", p)),\(tokens)\n"
        }
        // Weight changes of every fine-tuned run with a gain.
        let tuned = table.runs.indices.compactMap { i in table.mainGain(i).map { (i, $0) } }.filter { table.runs[$0.0].dataset != nil }
        let zr = standardize(tuned.map(\.1))
        var weights = SideData.weightsHeader.joined(separator: ",") + "\n"
        for (k, (i, _)) in tuned.enumerated() {
            let run = table.runs[i], n = layers(run.base)
            let scale = (run.method == "lora" ? 0.3 : 1) * (1 + Double(run.epochs) / 10)
            for l in 0..<n {
                let p = Double(l) / Double(n - 1), w = exp(-pow((p - 0.6) / 0.15, 2))
                let relative = max(1e-6, (0.6 + p) * 1e-3 * scale * (1 + 0.4 * w * zr[k] + 0.1 * rng.normal()))
                let baseFro = 60.0 + Double(l % 7)
                weights += "\(run.id),\(l),\(p),all,0,\(relative * baseFro),\(baseFro),\(relative)\n"
            }
        }
        let paths = [folder + "/" + perplexityFile, folder + "/" + weightsFile]
        try Data(ppl.utf8).write(to: URL(fileURLWithPath: paths[0]))
        try Data(weights.utf8).write(to: URL(fileURLWithPath: paths[1]))
        return paths
    }
}
