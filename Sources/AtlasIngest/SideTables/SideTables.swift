import AtlasStore
import Foundation

/// Data beside the scores that the paper's Figs. 4a and 5 need, from CSVs a user supplies (`--side`), each
/// recognized by its header:
///
///     base,dataset,perplexity[,mean_tokens]                                  the training data's perplexity under the base
///     run,layer,position,module,params,delta_fro,base_fro,relative           the output of `sftatlas weights`
///
/// A base or dataset is named by its id or the release's name for it (`llama-3-8b` or `Meta-Llama-3-8B`); a
/// run by its id. A name the results do not hold is an error with its file, line and column.
public struct SideData: Sendable, Equatable {
    public struct Perplexity: Sendable, Equatable {
        public var base: String
        public var dataset: String
        public var perplexity: Double
        public var meanTokens: Double?
    }

    /// One layer's change over its weight matrices (the `all` rows of `sftatlas weights`).
    public struct LayerChange: Sendable, Equatable {
        public var run: String
        public var layer: Int
        public var position: Double
        public var relative: Double
    }

    public var perplexity: [Perplexity] = []
    public var layers: [LayerChange] = []

    public init() {}


    static let perplexityHeader = ["base", "dataset", "perplexity"]
    static let weightsHeader = ["run", "layer", "position", "module", "params", "delta_fro", "base_fro", "relative"]

    /// Reads one side table into `self`; returns its number of data rows.
    mutating func read(_ bytes: [UInt8], file: String, results: ResultSet) throws(IngestError) -> Int {
        var reader = CSVReader(bytes: bytes)
        func record() throws(IngestError) -> CSVReader.Record? {
            do { return try reader.next() } catch { throw IngestError(file: file, message: "the side table is not valid CSV: \(error)") }
        }
        guard let head = try record() else {
            throw IngestError(file: file, line: 1, message: "the file is empty; expected a header: \(Self.perplexityHeader.joined(separator: ","))[,mean_tokens] or \(Self.weightsHeader.joined(separator: ","))")
        }
        let names = (0..<head.count).map { head.string($0).trimmed }
        let perplexity = names == Self.perplexityHeader || names == Self.perplexityHeader + ["mean_tokens"]
        guard perplexity || names == Self.weightsHeader else {
            throw IngestError(file: file, line: head.line, message: "the header is '\(IngestError.excerpt(names.joined(separator: ",")))'; expected "
                              + "\(Self.perplexityHeader.joined(separator: ","))[,mean_tokens] (perplexities) or \(Self.weightsHeader.joined(separator: ",")) (sftatlas weights)")
        }
        var bases: [String: String] = [:], datasets: [String: String] = [:]
        for b in results.bases { bases[b.id] = b.id; bases[b.sourceName] = b.id }
        for d in results.datasets where d.kind == .single { datasets[d.id] = d.id; datasets[d.sourceName] = d.id }
        let runs = Set(results.runs.map(\.id))
        var count = 0
        var seen: [String: Int] = [:]
        while let r = try record() {
            guard r.count == names.count else { throw IngestError(file: file, line: r.line, message: "the row has \(r.count) fields; expected \(names.count), as in the header") }
            let f = (0..<r.count).map { r.string($0).trimmed }
            func fail(_ k: Int, _ message: String) -> IngestError { IngestError(file: file, line: r.line, column: names[k], message: message) }
            func number(_ k: Int, _ range: ClosedRange<Double>, _ what: String) throws(IngestError) -> Double {
                guard let x = Double(f[k]), x.isFinite, range.contains(x) else {
                    throw fail(k, "is '\(IngestError.excerpt(f[k]))'; expected \(what)")
                }
                return x
            }
            count += 1
            if perplexity {
                guard let base = bases[f[0]] else { throw fail(0, "'\(IngestError.excerpt(f[0]))' is not a base model of these results; expected an id such as \(results.bases.first?.id ?? "llama-3-8b")") }
                guard let dataset = datasets[f[1]] else { throw fail(1, "'\(IngestError.excerpt(f[1]))' is not a training dataset of these results; expected an id such as \(results.datasets.first { $0.kind == .single }?.id ?? "lima")") }
                let key = base + "|" + dataset
                if let first = seen[key] { throw fail(0, "\(base) on \(dataset) is on line \(first) too; expected one row per base and dataset") }
                seen[key] = r.line
                let ppl = try number(2, 1...1e9, "a perplexity from 1 to 1e9")
                let tokens = names.count == 4 && !f[3].isEmpty ? try number(3, 1...1e9, "a mean length in tokens from 1 to 1e9, or empty") : nil
                self.perplexity.append(Perplexity(base: base, dataset: dataset, perplexity: ppl, meanTokens: tokens))
            } else {
                guard runs.contains(f[0]) else { throw fail(0, "'\(IngestError.excerpt(f[0]))' is not a run of these results; expected a model id such as \(results.runs.first { !$0.key.isBase }?.id ?? "")") }
                // Only each layer's `all` row is read: the figures use the change over a layer's weight matrices.
                guard f[3] == "all" else { continue }
                guard let layer = Int(f[1]), (0...100_000).contains(layer) else { throw fail(1, "is '\(IngestError.excerpt(f[1]))'; expected a layer number from 0 on an 'all' row") }
                let position = try number(2, 0...1, "a layer position from 0 to 1")
                let key = f[0] + "|" + f[1]
                if let first = seen[key] { throw fail(1, "layer \(layer) of \(f[0]) is on line \(first) too; expected one 'all' row per run and layer") }
                seen[key] = r.line
                let delta = try number(5, 0...1e30, "a Frobenius norm, 0 or more"), base = try number(6, 0...1e30, "a Frobenius norm, 0 or more")
                guard base > 0 else { throw fail(6, "is 0: the layer's relative change is undefined") }
                self.layers.append(LayerChange(run: f[0], layer: layer, position: position, relative: delta / base))
            }
        }
        return count
    }
}
