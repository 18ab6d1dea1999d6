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
        if !isCurrent(path) {
            _ = try write(seed: seed, to: path)
        }
        return path
    }

    /// Whether a cached demo opens with the current schema and holds every analysis; one written by an
    /// older build may not, and is then generated again.
    static func isCurrent(_ path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path), let db = try? AtlasDatabase(path: path),
              let stored = try? db.analyses() else { return false }
        return Set(stored.map(\.name)) == Set(PaperAnalyses.names)
    }

    /// Generates the demo and writes it to `path` (atomically).
    public static func write(seed: UInt64 = DemoData.defaultSeed, to path: String) throws -> Ingest.Summary {
        let (results, warnings) = try Ingest().load(files: [(DemoData.fileName, DemoData.csv(seed: seed))], synthetic: true)
        try StoreWriter.write(results, to: path)
        return Ingest.summary(results, warnings: warnings)
    }
}
