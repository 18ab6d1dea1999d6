// Benchmarks for SFT Atlas, run by bench/ingest.sh. Prints one line per measurement.
//
//   atlas-bench parse FILE    CSV reading: AtlasIngest's load (read + parse + normalize) against
//                             CSV.swift's CSVReader parsing the same file (parse only).
//   atlas-bench query DB      The catalog's filtered, score-sorted page-of-50 query, and a few others.
import AtlasIngest
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

let args = CommandLine.arguments
switch (args.count > 2 ? args[1] : "") {
case "parse": try parse(args[2])
case "query": try query(args[2])
case "phases": try phases(args[2])
default:
    FileHandle.standardError.write(Data("usage: atlas-bench parse FILE | phases FILE | query DB\n".utf8))
    exit(2)
}
