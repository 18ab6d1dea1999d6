import Foundation

/// The pairs file of `sftatlas weights --pairs`: one checkpoint pair per row, paths relative to the file.
///
///     run,base,tuned
public struct WeightPairs: Sendable {
    public struct Pair: Sendable, Equatable {
        public var line: Int
        public var run: String
        public var base: String
        public var tuned: String
    }

    public static let header = ["run", "base", "tuned"]
    public var pairs: [Pair]

    /// Reads `path`; relative `base` and `tuned` folders are resolved against its folder.
    public init(path: String) throws(IngestError) {
        let file = (path as NSString).lastPathComponent
        let bytes = try FileInput.read(path, maxBytes: 64 << 20)
        var reader = CSVReader(bytes: bytes)
        func record() throws(IngestError) -> CSVReader.Record? {
            do { return try reader.next() } catch { throw IngestError(file: file, message: "the pairs file is not valid CSV: \(error)") }
        }
        guard let head = try record() else { throw IngestError(file: file, line: 1, message: "the file is empty; expected the header 'run,base,tuned'") }
        let names = (0..<head.count).map { head.string($0).trimmed }
        guard names == Self.header else {
            throw IngestError(file: file, line: head.line, message: "the header is '\(IngestError.excerpt(names.joined(separator: ",")))'; expected 'run,base,tuned'")
        }
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") || folder.isEmpty ? p : folder + "/" + p }
        var out: [Pair] = [], seen: [String: Int] = [:]
        while let r = try record() {
            guard r.count == 3 else { throw IngestError(file: file, line: r.line, message: "the row has \(r.count) fields; expected 3: run,base,tuned") }
            let f = (0..<3).map { r.string($0).trimmed }
            for (k, name) in Self.header.enumerated() where f[k].isEmpty {
                throw IngestError(file: file, line: r.line, column: name, message: "is empty; expected " + (k == 0 ? "the run's id" : "a checkpoint folder"))
            }
            if let first = seen[f[0]] {
                throw IngestError(file: file, line: r.line, column: "run", message: "'\(IngestError.excerpt(f[0]))' is on line \(first) too; expected one row per run")
            }
            seen[f[0]] = r.line
            out.append(Pair(line: r.line, run: f[0], base: resolve(f[1]), tuned: resolve(f[2])))
        }
        pairs = out
    }

    /// Shard `index` of `count` (0-based): a contiguous block, so the shards' outputs, concatenated in order,
    /// are the whole output.
    public func shard(_ index: Int, of count: Int) -> ArraySlice<Pair> {
        let n = pairs.count
        return pairs[(index * n / count)..<((index + 1) * n / count)]
    }
}
