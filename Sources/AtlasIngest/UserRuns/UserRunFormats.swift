/// Every reader of a user's files, by name, for the fuzzer (`Fuzz/fuzz-results`) and for tools that want
/// to check one file: each either reads the bytes or throws an `IngestError` naming `file`.
public enum UserRunFormats: Int, CaseIterable, Sendable {
    case lmEval, openCompassSummaryCSV, openCompassSummaryTXT, mtBench, manifest, map, openCompassResult

    /// Reads `bytes` as this format; returns how many scores (or rows) it found.
    public func read(_ bytes: [UInt8], file: String) throws(IngestError) -> Int {
        switch self {
        case .lmEval: return try LMEvalResults(bytes: bytes, file: file).scores.count
        case .openCompassSummaryCSV: return try OpenCompassSummary(bytes: bytes, file: file + ".csv").models.reduce(0) { $0 + $1.scores.count }
        case .openCompassSummaryTXT: return try OpenCompassSummary(bytes: bytes, file: file + ".txt").models.reduce(0) { $0 + $1.scores.count }
        case .mtBench: return try MTBenchSummary(bytes: bytes, file: file).models.count
        case .manifest: return try RunManifest(bytes: bytes, file: file).rows.count
        case .map: return (try ScoreMap(bytes: bytes, file: file)).overrides.count
        case .openCompassResult: return try OpenCompassResultsFolder(files: [(path: file, bytes: bytes)]).scores.count
        }
    }
}
