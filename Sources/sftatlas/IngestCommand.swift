import AtlasIngest
import ArgumentParser
import Foundation

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read result files and write one SQLite database, atomically.",
        discussion: """
        Reads the released massive-sft evaluation_result.csv (or several such files) and writes a new database.
        With --runs, also your own runs: a manifest (name,base,dataset,method,epochs,samples,schedule,results)
        whose results are OpenCompass summaries or results folders, or lm-evaluation-harness results files.
        The target is replaced only when the whole ingest succeeds; on any error it is left untouched.
        """
    )

    @Argument(help: "Result files to read (the released evaluation_result.csv).")
    var files: [String] = []

    @Option(help: "The database file to write.")
    var db: String

    @Flag(help: "Ingest the generated synthetic demo instead of files.")
    var demo = false

    @Flag(help: "Store the data only, without the paper's analyses (the figures and claims will be missing).")
    var noAnalyses = false

    @Option(help: "The largest result file read, in bytes (default 512 MiB; the release is 254 KB).")
    var maxBytes = 512 << 20

    @Option(help: "A run manifest of your own runs (CSV: name,base,dataset,method,epochs,samples,schedule,results); repeatable.")
    var runs: [String] = []

    @Option(help: "A map (CSV: tool,task,metric,column[,scale]) that overrides or extends how your scores become columns.")
    var map: String?

    @Option(help: "A side table (CSV): perplexities (base,dataset,perplexity[,mean_tokens]) or weight changes (the output of sftatlas weights); repeatable.")
    var side: [String] = []

    @Option(help: "Seed for the synthetic demo.")
    var seed: UInt64 = DemoData.defaultSeed

    func validate() throws {
        if demo, !files.isEmpty { throw ValidationError("give either result files or --demo, not both") }
        if !demo, files.isEmpty { throw ValidationError("give at least one result file, or --demo") }
        if demo, !runs.isEmpty || map != nil { throw ValidationError("--runs and --map go with result files, not --demo (the demo brings its own user runs)") }
        if map != nil, runs.isEmpty { throw ValidationError("--map needs --runs: it says how the runs' scores become columns") }
        guard (1...(1 << 40)).contains(maxBytes) else { throw ValidationError("--max-bytes must be 1 to 2^40") }
    }

    func run() throws {
        let started = Date()
        let summary: Ingest.Summary
        do {
            if demo {
                summary = try DemoDatabase.write(seed: seed, to: db)
            } else {
                var ingest = Ingest()
                ingest.progress = { line in Console.error(line) }
                ingest.analyses = !noAnalyses
                ingest.maxBytes = maxBytes
                ingest.runManifests = runs
                ingest.mapFile = map
                ingest.sideTables = side
                summary = try ingest.run(paths: files, database: db)
            }
        } catch {
            Console.error("error: \(error)")
            Console.error("The database '\(db)' was not changed.")
            throw ExitCode(1)
        }
        for warning in summary.warnings { Console.error("warning: \(warning)") }
        for line in summary.mapped { Console.error("mapped: \(line)") }
        for line in summary.userRuns { Console.error("your run \(line)") }
        let seconds = Date().timeIntervalSince(started)
        Console.error("""
            ingested \(summary.rows) rows into \(db) in \(String(format: "%.2f", seconds)) s: \
            \(summary.runs) runs (\(summary.fineTuned) fine-tuned, \(summary.runs - summary.fineTuned) base), \
            \(summary.bases) bases, \(summary.datasets) datasets, \(summary.columns) score columns, \
            \(summary.warnings.count) warnings\(demo ? " (synthetic demo data)" : "")
            """)
    }
}
