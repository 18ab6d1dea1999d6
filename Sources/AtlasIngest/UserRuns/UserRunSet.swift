import AtlasStore
import Foundation

/// A user's runs, read from a manifest and the result files it names, with every score mapped to a
/// column (or kept in a new column named after its source, with a warning).
struct UserRunSet {
    struct Score {
        var column: String
        /// In the column's unit (the tool's value times `scale`).
        var value: Double
        var source: ToolScore
        var scale: Double
    }

    struct UserRun {
        var row: RunManifest.Row
        var scores: [Score]
    }

    /// The manifest's file name: the `source` facet's value for these runs.
    var manifest: String
    var manifestPath: String
    var runs: [UserRun]
    /// Columns the scores need that the release may lack, by id: registry-shaped (`gsm8k-5shot`) or named
    /// after their source (`lm-eval-arc-easy-acc-none`).
    var columns: [String: ScoreColumn]
    var warnings: [String] = []
    /// What was mapped to what: `lm-eval gsm8k exact_match,strict-match → gsm8k-5shot (5 shots, ×100)`.
    var report: [String] = []

    init(manifestPath: String, map: ScoreMap, maxBytes: Int, knownUnit: (String) -> ScoreColumn.Unit?) throws(IngestError) {
        self.manifestPath = manifestPath
        manifest = fileName(manifestPath)
        let rows = try RunManifest(bytes: try FileInput.read(manifestPath, maxBytes: maxBytes), file: manifestPath).rows
        let directory = (manifestPath as NSString).deletingLastPathComponent
        var cache = Cache(maxBytes: maxBytes)
        var columns: [String: ScoreColumn] = [:]
        var warnings: [String] = [], report: [String] = [], reported = Set<String>()
        func unit(_ id: String) -> ScoreColumn.Unit? { knownUnit(id) ?? ColumnRegistry.column(id: id)?.unit }
        var runs: [UserRun] = []
        for row in rows {
            var scores: [Score] = []
            var placeOf: [String: (Double, ToolScore)] = [:]
            for ref in row.results {
                for score in try cache.scores(ref, directory: directory, manifest: manifestPath, line: row.line) {
                    let id: String, scale: Double
                    switch map.outcome(score, columnUnit: unit) {
                    case .skipped:
                        continue
                    case let .column(target, s, shots):
                        (id, scale) = (target, s)
                        if columns[id] == nil, knownUnit(id) == nil {
                            columns[id] = ColumnRegistry.column(id: id) ?? ColumnRegistry.column(header: id)
                        }
                        let key = "\(score.tool.rawValue) \(score.task) \(score.metric) → \(id)"
                        if reported.insert(key).inserted {
                            let stated = shots ?? ColumnRegistry.column(id: id)?.shots
                            report.append(key + " (" + (stated.map { "\($0) shots" } ?? "no shots") + (scale == 1 ? "" : ", ×\(NumberFormat.plain(scale))") + ")")
                        }
                    case .unmapped(let reason):
                        (id, scale) = (Slug.make("\(score.tool.rawValue) \(score.task) \(score.metric)"), 1)
                        if columns[id] == nil {
                            let header = "\(score.tool.rawValue): \(score.task) \(score.metric)"
                            columns[id] = ScoreColumn(id: id, sourceName: header, benchmark: Slug.make(score.task), benchmarkName: score.task,
                                                      displayName: "\(score.task) \(score.metric) (\(score.tool.rawValue))", shots: score.shots,
                                                      category: "other", unit: .unknown, scaleMin: nil, scaleMax: nil, registered: false)
                            warnings.append("\(score.file): \(reason); kept as the new column '\(id)'")
                        }
                    }
                    // 0.55 × 100 is 55.00000000000001 in doubles: a converted value is rounded to 9 decimals.
                    // lm-eval's score in a column the release filled with OpenCompass: said once per column.
                    if score.tool == .lmEval, knownUnit(id) != nil, reported.insert("tool \(id)").inserted {
                        warnings.append("\(score.file): lm-eval scores in column '\(id)', which the release filled with OpenCompass: comparable in task, not in prompts or scoring")
                    }
                    let value = scale == 1 ? score.value : (score.value * scale * 1e9).rounded() / 1e9
                    if let (first, firstScore) = placeOf[id] {
                        guard first == value else {
                            throw IngestError(file: manifestPath, line: row.line, column: "results",
                                              message: "run '\(IngestError.excerpt(row.name))' gets two values for column '\(id)': \(NumberFormat.plain(first)) (\(firstScore.file) \(firstScore.place)) and \(NumberFormat.plain(value)) (\(score.file) \(score.place)); expected one")
                        }
                        continue
                    }
                    placeOf[id] = (value, score)
                    scores.append(Score(column: id, value: value, source: score, scale: scale))
                }
            }
            runs.append(UserRun(row: row, scores: scores))
        }
        self.runs = runs
        self.columns = columns
        self.warnings = warnings
        self.report = report
    }

    /// Result files read once each, however many rows name them.
    private struct Cache {
        let maxBytes: Int
        var summaries: [String: OpenCompassSummary] = [:]
        var mtBench: [String: MTBenchSummary] = [:]

        init(maxBytes: Int) { self.maxBytes = maxBytes }

        mutating func scores(_ ref: String, directory: String, manifest: String, line: Int) throws(IngestError) -> [ToolScore] {
            let parts = ref.split(separator: "#", maxSplits: 1).map(String.init)
            let relative = parts[0]
            let path = relative.hasPrefix("/") ? relative : (directory.isEmpty ? relative : directory + "/" + relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw IngestError(file: manifest, line: line, column: "results", message: "names '\(IngestError.excerpt(relative))', which does not exist (looked for \(IngestError.excerpt(path))); expected a path relative to the manifest")
            }
            if parts.count == 2 {
                let abbr = parts[1]
                let bytes = try FileInput.read(path, maxBytes: maxBytes)
                if MTBenchSummary.recognizes(bytes) {
                    if mtBench[path] == nil { mtBench[path] = try MTBenchSummary(bytes: bytes, file: path) }
                    guard let found = mtBench[path]!.models.first(where: { $0.name == abbr }) else {
                        throw IngestError(file: manifest, line: line, column: "results", message: "names model '\(IngestError.excerpt(abbr))' in \(fileName(path)), which has none by that name; its models are \(mtBench[path]!.models.map(\.name).prefix(10).joined(separator: ", "))")
                    }
                    return found.scores
                }
                if summaries[path] == nil { summaries[path] = try OpenCompassSummary(bytes: bytes, file: path) }
                guard let found = summaries[path]![abbr] else {
                    throw IngestError(file: manifest, line: line, column: "results", message: "names the column '\(IngestError.excerpt(abbr))' of \(fileName(path)), which has none by that name; its model columns are \(summaries[path]!.models.map(\.abbr).prefix(10).joined(separator: ", "))")
                }
                return found
            }
            if isDirectory.boolValue {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
                // lm-eval's output folder (`--output_path …/<model>/`): its results_<date>.json, when it holds one.
                // (Older lm-eval versions write results.json.)
                let lmEval = names.filter { $0.hasPrefix("results_") || $0 == "results.json" }
                if lmEval.count == 1 {
                    return try LMEvalResults(bytes: try FileInput.read(path + "/" + lmEval[0], maxBytes: maxBytes), file: path + "/" + lmEval[0]).scores
                }
                if lmEval.count > 1 {
                    throw IngestError(file: manifest, line: line, column: "results", message: "names the folder '\(IngestError.excerpt(relative))', which holds \(lmEval.count) lm-eval results files (\(lmEval.prefix(4).joined(separator: ", "))\(lmEval.count > 4 ? ", …" : "")); name the one to read, as '\(IngestError.excerpt(relative))/\(lmEval.last!)'")
                }
                guard !names.isEmpty, names.count <= 10_000 else {
                    throw IngestError(file: manifest, line: line, column: "results", message: "names the folder '\(IngestError.excerpt(relative))', which holds \(names.count) .json files; expected OpenCompass's results/<model abbr>/ with one <dataset>.json per dataset, or lm-eval's output folder with its results_<date>.json")
                }
                var files: [(String, [UInt8])] = []
                for n in names { files.append((path + "/" + n, try FileInput.read(path + "/" + n, maxBytes: maxBytes))) }
                return try OpenCompassResultsFolder(files: files.map { (path: $0.0, bytes: $0.1) }).scores
            }
            if path.hasSuffix(".json") {
                return try LMEvalResults(bytes: try FileInput.read(path, maxBytes: maxBytes), file: path).scores
            }
            throw IngestError(file: manifest, line: line, column: "results", message: "names '\(IngestError.excerpt(relative))'; expected an lm-eval results .json, '<summary .csv or .txt>#<model abbr>', or a results/<abbr>/ folder")
        }
    }
}

/// Numbers in messages: the shortest text that reads back.
enum NumberFormat {
    static func plain(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
}
