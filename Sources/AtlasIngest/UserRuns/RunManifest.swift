import AtlasStore

/// A run manifest (`--runs runs.csv`): what each evaluated model is, and where its scores are.
///
///     name,base,dataset,method,epochs,samples,schedule,results
///
/// A row with `dataset` and `method` `none` is a base model's own row (for a base the registry does not
/// know). `results` is relative to the manifest: an lm-eval results file, `<summary>#<model abbr>` for
/// an OpenCompass summary (`.csv` or `.txt`) or MT-Bench summary column, or a `results/<abbr>/` folder;
/// several, separated by `;`.
struct RunManifest {
    struct Row {
        var line: Int
        var name: String
        var id: String
        var base: String
        /// nil on a base row.
        var dataset: String?
        var method: Method?
        var epochs: Int
        var samples: Int
        var schedule: Schedule?
        var results: [String]
        var isBase: Bool { dataset == nil }
    }

    static let header = ["name", "base", "dataset", "method", "epochs", "samples", "schedule", "results"]
    var rows: [Row]

    init(bytes: [UInt8], file: String) throws(IngestError) {
        var reader = CSVReader(bytes: bytes)
        func record() throws(IngestError) -> CSVReader.Record? {
            do { return try reader.next() } catch { throw IngestError(file: file, message: "the manifest is not valid CSV: \(error)") }
        }
        guard let head = try record() else { throw IngestError(file: file, line: 1, message: "the manifest is empty; expected the header '\(Self.header.joined(separator: ","))'") }
        let names = (0..<head.count).map { head.string($0).trimmed }
        guard names == Self.header else {
            throw IngestError(file: file, line: head.line, message: "the header is '\(IngestError.excerpt(names.joined(separator: ",")))'; expected '\(Self.header.joined(separator: ","))'")
        }
        var out: [Row] = []
        var byID: [String: Int] = [:]
        while let r = try record() {
            guard r.count == names.count else { throw IngestError(file: file, line: r.line, message: "the row has \(r.count) fields; expected \(names.count), as in the header") }
            let f = (0..<r.count).map { r.string($0).trimmed }
            func fail(_ column: String, _ message: String) -> IngestError { IngestError(file: file, line: r.line, column: column, message: message) }
            guard !f[0].isEmpty else { throw fail("name", "is empty; expected the run's name") }
            guard !f[1].isEmpty else { throw fail("base", "is empty; expected a base model (a registry id such as llama-3-8b, or your own base's name)") }
            let isBase = f[2].lowercased() == "none"
            guard isBase == (f[3].lowercased() == "none") else {
                throw fail(isBase ? "method" : "dataset", "is '\(IngestError.excerpt(isBase ? f[3] : f[2]))'; a base model's own row has both dataset and method 'none'")
            }
            var method: Method?
            if !isBase {
                guard !f[2].isEmpty else { throw fail("dataset", "is empty; expected a dataset (a registry id such as lima, or your own dataset's name), or 'none' on a base row") }
                guard let m = Method(rawValue: f[3].lowercased()) else { throw fail("method", "is '\(IngestError.excerpt(f[3]))'; expected full or lora (none on a base row)") }
                method = m
            }
            func integer(_ k: Int, _ range: ClosedRange<Int>) throws(IngestError) -> Int {
                if isBase && (f[k].isEmpty || f[k] == "0") { return 0 }
                guard let n = Int(f[k]), range.contains(n) else {
                    throw fail(names[k], "is '\(IngestError.excerpt(f[k]))'; expected a whole number from \(range.lowerBound) to \(range.upperBound)")
                }
                return n
            }
            let epochs = try integer(4, 1...1000), samples = try integer(5, 1...1_000_000_000)
            var schedule: Schedule?
            if !f[6].isEmpty, f[6].lowercased() != "none" {
                guard let s = Schedule(rawValue: f[6].lowercased()) else { throw fail("schedule", "is '\(IngestError.excerpt(f[6]))'; expected cosine, constant, or empty") }
                schedule = s
            }
            let results = f[7].split(separator: ";").map { String($0).trimmed }.filter { !$0.isEmpty }
            guard !results.isEmpty else { throw fail("results", "is empty; expected where the scores are: an lm-eval results file, '<summary file>#<model abbr>', or a results/<abbr>/ folder") }
            let id = Slug.make(f[0])
            if let first = byID[id] {
                let same = out[first].name == f[0] ? "the name '\(IngestError.excerpt(f[0]))' twice" : "the names '\(IngestError.excerpt(out[first].name))' and '\(IngestError.excerpt(f[0]))', which make one id '\(id)'"
                throw fail("name", "has \(same) (lines \(out[first].line) and \(r.line)); expected one row per run")
            }
            byID[id] = out.count
            out.append(Row(line: r.line, name: f[0], id: id, base: f[1], dataset: isBase ? nil : f[2], method: method,
                           epochs: epochs, samples: samples, schedule: schedule, results: results))
        }
        guard !out.isEmpty else { throw IngestError(file: file, line: head.line, message: "the manifest has a header but no runs") }
        rows = out
    }
}
