/// OpenCompass's `summary_<time>.csv`, as its `DefaultSummarizer` writes it: a header
/// `dataset,version,metric,mode,<model abbr>…`, then a row per dataset (or summary group, whose
/// version is `-`) and metric, one column per model, `-` where a model has no value. Values are as
/// OpenCompass reports them (percentages with two decimals). The `.txt` twin holds the same table in its
/// "csv format" block, between a line of `^` and a line of `$`.
struct OpenCompassSummary {
    /// Per model abbr, in header order, its scores.
    var models: [(abbr: String, scores: [ToolScore])]

    subscript(abbr: String) -> [ToolScore]? { models.first { $0.abbr == abbr }?.scores }

    init(bytes: [UInt8], file: String) throws(IngestError) {
        if file.hasSuffix(".txt") {
            try self.init(csvBlockOf: bytes, file: file)
        } else {
            try self.init(csv: bytes, file: file, firstLine: 1)
        }
    }

    /// The `.txt` summary: its "csv format" block, with line numbers as in the whole file.
    private init(csvBlockOf bytes: [UInt8], file: String) throws(IngestError) {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var start: Int?
        for (i, line) in lines.enumerated() where String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces) == "csv format" {
            if i + 1 < lines.count, lines[i + 1].first == UInt8(ascii: "^") { start = i + 2; break }
        }
        guard let start else {
            throw IngestError(file: file, message: "no 'csv format' block; expected an OpenCompass summary .txt, whose csv block follows a line 'csv format' and a line of '^'")
        }
        var end = start
        while end < lines.count, lines[end].first != UInt8(ascii: "$") { end += 1 }
        guard end < lines.count else {
            throw IngestError(file: file, line: start, message: "the csv block is never closed by a line of '$'; the file looks truncated")
        }
        let block = lines[start..<end].map { Array($0) }.joined(separator: [UInt8(ascii: "\n")])
        try self.init(csv: Array(block) + [UInt8(ascii: "\n")], file: file, firstLine: start + 1)
    }

    private init(csv: [UInt8], file: String, firstLine: Int) throws(IngestError) {
        var reader = CSVReader(bytes: csv)
        func record() throws(IngestError) -> CSVReader.Record? {
            do { return try reader.next() } catch { throw IngestError(file: file, line: firstLine, message: "the summary is not valid CSV: \(error)") }
        }
        guard let header = try record() else { throw IngestError(file: file, line: firstLine, message: "the summary is empty; expected a header 'dataset,version,metric,mode,<model abbr>…'") }
        let names = (0..<header.count).map { header.string($0).trimmed }
        guard names.count >= 5, Array(names.prefix(4)) == ["dataset", "version", "metric", "mode"] else {
            throw IngestError(file: file, line: firstLine, message: "the header starts '\(IngestError.excerpt(names.prefix(5).joined(separator: ",")))'; expected 'dataset,version,metric,mode,<model abbr>…', as OpenCompass's summarizer writes it")
        }
        var models: [(String, [ToolScore])] = names.dropFirst(4).map { ($0, []) }
        while let row = try record() {
            let line = row.line + firstLine - 1
            guard row.count == names.count else {
                throw IngestError(file: file, line: line, message: "the row has \(row.count) fields; expected \(names.count), as in the header")
            }
            let dataset = row.string(0).trimmed, version = row.string(1).trimmed, metric = row.string(2).trimmed
            if metric == "-" { continue } // a dataset no model has: every cell is '-'
            for k in 4..<names.count {
                let cell = row.string(k).trimmed
                if cell == "-" || cell.isEmpty { continue }
                guard let v = Double(cell), v.isFinite else {
                    throw IngestError(file: file, line: line, column: names[k], message: "is '\(IngestError.excerpt(cell))'; expected a number or '-' (no value)")
                }
                models[k - 4].1.append(ToolScore(tool: .openCompass, toolVersion: nil, file: fileName(file), place: "line \(line)", line: line,
                                                 task: dataset, metric: metric, value: v, shots: ToolScore.shots(inAbbr: dataset),
                                                 configHash: version == "-" ? nil : version,
                                                 isGroupMember: ToolScore.subsetPrefixes.contains { dataset.hasPrefix($0) },
                                                 isSummaryGroup: version == "-"))
            }
        }
        self.models = models.map { (abbr: $0.0, scores: $0.1) }
    }
}

/// OpenCompass's per-model results folder, `results/<model abbr>/`: one `<dataset abbr>.json` per dataset,
/// a flat object of metric → number (other members, such as `details`, are skipped).
struct OpenCompassResultsFolder {
    var scores: [ToolScore]

    /// `files`: each JSON file's path (as errors name it) and bytes.
    init(files: [(path: String, bytes: [UInt8])]) throws(IngestError) {
        var out: [ToolScore] = []
        for (path, bytes) in files.sorted(by: { $0.path < $1.path }) {
            let doc = try JSONDocument(bytes: bytes, file: path)
            guard let metrics = doc.root.object else {
                throw IngestError(file: path, line: 1, message: "at $: expected an object of metric → number; found \(doc.root.kind)")
            }
            let name = fileName(path)
            let dataset = String(name.dropLast(name.hasSuffix(".json") ? 5 : 0))
            for (metric, value) in metrics {
                let place = JSONDocument.member("$", metric)
                switch value {
                case .number(let d) where d.isFinite:
                    out.append(ToolScore(tool: .openCompass, toolVersion: nil, file: name, place: place, line: doc.lines[place], task: dataset,
                                         metric: metric, value: d, shots: ToolScore.shots(inAbbr: dataset), configHash: nil,
                                         isGroupMember: ToolScore.subsetPrefixes.contains { dataset.hasPrefix($0) }))
                case .object, .array, .null:
                    continue // details, per-sample records
                default:
                    throw IngestError(file: path, line: doc.lines[place], message: "at \(place): the score is \(value.kind); expected a number")
                }
            }
        }
        scores = out
    }
}

/// OpenCompass's MT-Bench summary CSV: `model,total,writing,roleplay,reasoning,math,coding,extraction,stem,humanities`,
/// one row per model, 1–10 ratings: the release's `mtbench-*` columns.
struct MTBenchSummary {
    static let header = ["model", "total", "writing", "roleplay", "reasoning", "math", "coding", "extraction", "stem", "humanities"]
    var models: [(name: String, scores: [ToolScore])]

    static func recognizes(_ bytes: [UInt8]) -> Bool {
        let first = bytes.prefix { $0 != UInt8(ascii: "\n") }
        return String(decoding: first, as: UTF8.self).trimmed.lowercased().hasPrefix("model,total,")
    }

    init(bytes: [UInt8], file: String) throws(IngestError) {
        var reader = CSVReader(bytes: bytes)
        func record() throws(IngestError) -> CSVReader.Record? {
            do { return try reader.next() } catch { throw IngestError(file: file, message: "the MT-Bench summary is not valid CSV: \(error)") }
        }
        guard let head = try record() else { throw IngestError(file: file, line: 1, message: "the file is empty; expected '\(Self.header.joined(separator: ","))'") }
        let names = (0..<head.count).map { head.string($0).trimmed.lowercased() }
        guard names.first == "model", names.count >= 2, names.dropFirst().allSatisfy(Self.header.contains) else {
            throw IngestError(file: file, line: head.line, message: "the header is '\(IngestError.excerpt(names.joined(separator: ",")))'; expected '\(Self.header.joined(separator: ","))'")
        }
        var out: [(String, [ToolScore])] = []
        while let row = try record() {
            guard row.count == names.count else {
                throw IngestError(file: file, line: row.line, message: "the row has \(row.count) fields; expected \(names.count), as in the header")
            }
            var scores: [ToolScore] = []
            for k in 1..<names.count {
                let cell = row.string(k).trimmed
                if cell.isEmpty || cell == "-" { continue }
                guard let v = Double(cell), v.isFinite else {
                    throw IngestError(file: file, line: row.line, column: names[k], message: "is '\(IngestError.excerpt(cell))'; expected a rating from 1 to 10")
                }
                scores.append(ToolScore(tool: .openCompass, toolVersion: nil, file: fileName(file), place: "line \(row.line)", line: row.line,
                                        task: "mtbench", metric: names[k], value: v, shots: nil, configHash: nil))
            }
            out.append((row.string(0).trimmed, scores))
        }
        models = out.map { (name: $0.0, scores: $0.1) }
    }
}
