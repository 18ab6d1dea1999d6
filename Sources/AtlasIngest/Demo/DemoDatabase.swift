import AtlasAnalysis
import AtlasStore
import Foundation

/// The demo database that commands use when no `--db` is given: generated once per seed and schema
/// version into the user's cache folder, and reused after that.
public enum DemoDatabase {
    /// `$XDG_CACHE_HOME/sftatlas`, else `~/.cache/sftatlas`, else the temporary folder.
    public static func cacheFolder() -> String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/sftatlas" }
        if let home = env["HOME"], !home.isEmpty { return home + "/.cache/sftatlas" }
        return NSTemporaryDirectory() + "sftatlas"
    }

    /// The demo database's path, generating it first if needed.
    public static func ensure(seed: UInt64 = DemoData.defaultSeed) throws -> String {
        let folder = cacheFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/demo-\(seed)-schema\(Schema.version)-analyses\(PaperAnalyses.formatVersion)-\(Ingest.toolVersion).sqlite"
        // The name carries everything that changes what is written: seed, schema, analysis format, tool.
        if !FileManager.default.fileExists(atPath: path) {
            _ = try write(seed: seed, to: path)
        }
        return path
    }

    /// Generates the demo and writes it to `path` (atomically).
    public static func write(seed: UInt64 = DemoData.defaultSeed, to path: String) throws -> Ingest.Summary {
        // A few synthetic runs of "your own", evaluated as OpenCompass and lm-eval would write them.
        let folder = NSTemporaryDirectory() + "sftatlas-demo-runs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var ingest = Ingest()
        ingest.runManifests = [try DemoUserRuns.write(in: folder, seed: seed)]
        // Synthetic side tables (perplexities, weight changes) made from the demo's scores, then read as a user's would be.
        var plain = ingest
        plain.analyses = false
        let (first, _) = try plain.load(files: [(DemoData.fileName, DemoData.csv(seed: seed))], synthetic: true)
        ingest.sideTables = try SyntheticSideTables.write(first, in: folder, seed: seed)
        let (results, warnings) = try ingest.load(files: [(DemoData.fileName, DemoData.csv(seed: seed))], synthetic: true)
        try StoreWriter.write(results, to: path)
        return Ingest.summary(results, warnings: warnings)
    }
}
