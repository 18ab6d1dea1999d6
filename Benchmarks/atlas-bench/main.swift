// Benchmarks for SFT Atlas, run by bench/ingest.sh. Prints one line per measurement.
//
//   atlas-bench parse FILE    CSV reading: AtlasIngest's load (read + parse + normalize) against
//                             CSV.swift's CSVReader parsing the same file (parse only).
//   atlas-bench query DB      The catalog's filtered, score-sorted page-of-50 query, and a few others.
//   atlas-bench figures FILE OUT
//                             The paper's analyses of FILE (median of 3); one heatmap (Fig. 2b for the
//                             first base, full-parameter) drawn 20 times, its data written to OUT for
//                             bench/heatmap_matplotlib.py to draw the same; then every figure (3 rounds).
import AtlasAnalysis
import AtlasCharts
import AtlasIngest
import AtlasSite
import AtlasStore
import CSV
import Foundation

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func parse(_ path: String) throws {
    var atlasRows = 0
    let atlas = try seconds {
        var ingest = Ingest()
        ingest.analyses = false // reading only, as CSV.swift does
        let (results, _) = try ingest.load(paths: [path])
        atlasRows = results.runs.count
    }
    var libraryRows = 0
    let library = try seconds {
        let stream = InputStream(fileAtPath: path)!
        let reader = try CSVReader(stream: stream, hasHeaderRow: true)
        while reader.next() != nil { libraryRows += 1 }
    }
    print(String(format: "parse: atlas load (read+parse+normalize) %.3f s for %d rows; CSV.swift parse only %.3f s for %d rows; ratio %.1fx",
                 atlas, atlasRows, library, libraryRows, library / atlas))
}

func query(_ path: String) throws {
    var db: AtlasDatabase!
    let cold = try seconds {
        db = try AtlasDatabase(path: path)
        _ = try db.runs(RunFilter(), limit: 50)
    }
    print(String(format: "query: cold start (open, load the run index, first page): %.1f ms", cold * 1000))
    let bases = db.bases
    let firstBase = bases[bases.count / 2].id
    let cases: [(String, RunFilter, RunSort)] = [
        ("one base + LoRA, sorted by mmlu-0shot desc", RunFilter([.base: [firstBase], .method: ["lora"]]), RunSort(.score("mmlu-0shot"), descending: true)),
        ("full only, sorted by gsm8k-0shot asc", RunFilter([.method: ["full"]]), RunSort(.score("gsm8k-0shot"))),
        ("one dataset + epochs 10, sorted by mtbench-total desc", RunFilter([.dataset: ["alpaca-cleaned"], .epochs: ["10"]]), RunSort(.score("mtbench-total"), descending: true)),
        ("no filter, canonical order", RunFilter(), RunSort()),
    ]
    for (name, filter, sort) in cases {
        var total = 0
        let first = try seconds { total = try db.runs(filter, sort: sort, limit: 50, offset: 0).total }
        var times: [Double] = []
        for _ in 0..<30 {
            times.append(try seconds { total = try db.runs(filter, sort: sort, limit: 50, offset: 0).total })
        }
        var facetTimes: [Double] = []
        for _ in 0..<10 { facetTimes.append(try seconds { _ = try db.facets(filter) }) }
        print(String(format: "query: %@: page of 50 of %d, median %.2f ms (max %.2f ms; first %.2f ms); facets median %.2f ms",
                     name, total, median(times) * 1000, times.max()! * 1000, first * 1000, median(facetTimes) * 1000))
    }
}

/// Phases of an ingest of one file, each the median of 5 runs.
func phases(_ path: String) throws {
    var loads: [Double] = [], writes: [Double] = []
    let out = NSTemporaryDirectory() + "atlas-bench-\(getpid()).sqlite"
    defer { unlink(out) }
    for _ in 0..<5 {
        var results: ResultSet!
        var ingest = Ingest()
        ingest.analyses = false
        loads.append(try seconds { results = try ingest.load(paths: [path]).0 })
        writes.append(try seconds { try StoreWriter.write(results, to: out) })
    }
    print(String(format: "phases: load (read+parse+normalize) median %.1f ms; write database median %.1f ms",
                 median(loads) * 1000, median(writes) * 1000))
}

/// What the audit adds to an ingest: the audit itself and its document, and the claims' sensitivity (the
/// analyses with the flags against without them). Medians of 5.
func audit(_ path: String, analyses: Bool) throws {
    var ingest = Ingest()
    ingest.analyses = false
    let results = try ingest.load(paths: [path]).0
    var audits: [Double] = [], documents: [Double] = [], plain: [Double] = [], flagged: [Double] = []
    var result: AuditResult!
    for _ in 0..<5 {
        audits.append(seconds { result = AuditInputBuilder.audit(results) })
        documents.append(try seconds { _ = try AuditInputBuilder.document(result) })
        guard analyses else { continue }
        plain.append(try seconds { _ = try AnalysisInput.documents(results) })
        flagged.append(try seconds { _ = try AnalysisInput.documents(results, audit: result) })
    }
    let counts = AuditResult.Kind.allCases.map { "\($0.rawValue) \(result.count($0))" }.joined(separator: ", ")
    let a = median(audits), d = median(documents)
    if analyses {
        let s = median(flagged) - median(plain)
        print(String(format: "audit of %d runs (%@): audit %.3f s + document %.3f s; sensitivity (analyses with flags %.3f s − without %.3f s) %.3f s; added %.3f s (medians of 5)",
                     results.runs.count, counts, a, d, median(flagged), median(plain), s, a + d + s))
    } else {
        print(String(format: "audit of %d runs (%@): audit %.3f s + document %.3f s = %.3f s (medians of 5; analyses not run)", results.runs.count, counts, a, d, a + d))
    }
}

/// Writes synthetic side tables (perplexities, weight changes) for a result file into `out`.
func sideTables(_ path: String, out: String) throws {
    var ingest = Ingest()
    ingest.analyses = false
    let results = try ingest.load(paths: [path]).0
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    for p in try SyntheticSideTables.write(results, in: out, seed: 1) { print(p) }
}

func figures(_ path: String, out: String) throws {
    var ingest = Ingest()
    ingest.analyses = false
    var (results, _) = try ingest.load(paths: [path])
    var analysisTimes: [Double] = []
    for _ in 0..<3 { analysisTimes.append(try seconds { results.analyses = try AnalysisInput.documents(results) }) }
    let dbPath = NSTemporaryDirectory() + "atlas-bench-\(getpid()).sqlite"
    defer { unlink(dbPath) }
    try StoreWriter.write(results, to: dbPath)
    let db = try AtlasDatabase(path: dbPath)
    let style = ChartStyle(font: try ChartStyle.locateFont())
    let entry = try Figures(db: db, style: style).entries().first { $0.name.hasPrefix("gain-") && $0.name.hasSuffix("-full") && $0.name != "gain-matrix-full" }!
    var heatTimes: [Double] = []
    var chart: Chart!
    for _ in 0..<20 { heatTimes.append(seconds { chart = entry.spec.render(style) }) }
    try Data(chart.csv.utf8).write(to: URL(fileURLWithPath: out))
    try Data(chart.png).write(to: URL(fileURLWithPath: out + ".png"))
    print(String(format: "heatmap: %@ (%d bytes of PNG), median of 20 draws %.1f ms (first %.1f ms, in a fresh process with no text cached)",
                 entry.name, chart.png.count, median(heatTimes) * 1000, heatTimes[0] * 1000))
    var count = 0
    var chartTimes: [Double] = []
    // Rounds after the first reuse text rasterized before (all three are reported).
    for _ in 0..<3 { chartTimes.append(try seconds { count = try Figures(db: db, style: style).all().count }) }
    let a = median(analysisTimes), c = median(chartTimes)
    print(String(format: "figures: analyses median %.2f s; %d figures median %.2f s (rounds: %@); total %.2f s (target <= 3 s); first round total %.2f s",
                 a, count, c, chartTimes.map { String(format: "%.2f", $0) }.joined(separator: ", "), a + c, a + chartTimes[0]))
}

let args = CommandLine.arguments
switch (args.count > 2 ? args[1] : "") {
case "parse": try parse(args[2])
case "query": try query(args[2])
case "phases": try phases(args[2])
case "side-tables" where args.count > 3: try sideTables(args[2], out: args[3])
case "audit": try audit(args[2], analyses: !args.dropFirst(3).contains("--no-analyses"))
case "figures" where args.count > 3: try figures(args[2], out: args[3])
default:
    FileHandle.standardError.write(Data("usage: atlas-bench parse FILE | phases FILE | audit FILE [--no-analyses] | side-tables FILE OUTDIR | query DB | figures FILE OUT\n".utf8))
    exit(2)
}
