import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// The `sftatlas` binary, run as a user would: exit status, messages, and the database left alone on error.
@Suite struct CLITests {
    static var binary: URL? {
        // SFTATLAS_BIN runs these tests against another build (to check that a regression test fails
        // on the code before its fix).
        if let path = ProcessInfo.processInfo.environment["SFTATLAS_BIN"] { return URL(fileURLWithPath: path) }
        // The test bundle sits in the build products folder, beside the executable.
        let products = Bundle.main.bundleURL.lastPathComponent.hasSuffix(".xctest")
            ? Bundle.main.bundleURL.deletingLastPathComponent() : Bundle.main.bundleURL
        for candidate in [products, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("sftatlas")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    private func run(_ args: [String]) throws -> (status: Int32, stderr: String, stdout: String) {
        let process = Process()
        process.executableURL = try #require(Self.binary)
        process.arguments = args
        let err = Pipe(), out = Pipe()
        process.standardError = err
        process.standardOutput = out
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self), String(decoding: outData, as: UTF8.self))
    }

    @Test(.enabled(if: binary != nil, "skipped: the sftatlas binary is not beside the test bundle"))
    func ingestThenFailKeepsTheDatabase() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        Fixture.write(Fixture.small, to: folder + "/good.csv")
        let ok = try run(["ingest", folder + "/good.csv", "--db", folder + "/atlas.sqlite"])
        #expect(ok.status == 0)
        #expect(ok.stderr.contains("10 runs (8 fine-tuned, 2 base)"))
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/atlas.sqlite"))

        Fixture.write(Fixture.small.replacingOccurrences(of: ",true,", with: ",maybe,"), to: folder + "/bad.csv")
        let bad = try run(["ingest", folder + "/bad.csv", "--db", folder + "/atlas.sqlite"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.csv:4: column 'lora': is 'maybe'"))
        #expect(bad.stderr.contains("was not changed"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/atlas.sqlite")) == before)

        let info = try run(["info", "--db", folder + "/atlas.sqlite"])
        #expect(info.status == 0 && info.stdout.contains("runs: 10 (8 fine-tuned, 2 base models)"))
        #expect(!info.stdout.contains("SYNTHETIC"))
    }

    /// Ingest is deterministic across processes: three ingests of the released results store the same analysis
    /// documents, byte for byte. (A dictionary's order changes from process to process; the figure statistics
    /// once summed in that order, and their last digits differed between runs.)
    @Test(.enabled(if: binary != nil && Fixture.releasedCSV != nil, "skipped: needs the binary and the released results"))
    func threeIngestsOfTheReleaseStoreTheSameAnalyses() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        var documents: [[String]] = []
        for i in 0..<3 {
            let r = try run(["ingest", try #require(Fixture.releasedCSV), "--db", folder + "/\(i).sqlite"])
            #expect(r.status == 0, "\(r.stderr)")
            let db = try AtlasDatabase(path: folder + "/\(i).sqlite")
            documents.append(try db.analyses().map { try db.analysis($0.name, method: $0.method) ?? "" })
        }
        #expect(documents[0].count >= 15)
        #expect(documents[1] == documents[0] && documents[2] == documents[0])
    }

    @Test(.enabled(if: binary != nil, "skipped: the sftatlas binary is not beside the test bundle"))
    func demoIsLabelledSynthetic() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        #expect(try run(["ingest", "--demo", "--db", folder + "/demo.sqlite"]).status == 0)
        let info = try run(["info", "--db", folder + "/demo.sqlite"])
        #expect(info.stdout.contains("SYNTHETIC DEMO DATA"))
    }

    @Test(.enabled(if: binary != nil, "skipped: the sftatlas binary is not beside the test bundle"))
    func usageErrors() throws {
        let r = try run(["ingest", "--db", "/tmp/x.sqlite"])
        #expect(r.status != 0 && r.stderr.contains("give at least one result file, or --demo"))
        // A database that does not exist yet: the error says how to make one.
        let missing = NSTemporaryDirectory() + "no-such-\(UUID().uuidString).sqlite"
        let serve = try run(["serve", "--db", missing])
        #expect(serve.status != 0 && serve.stderr.contains("No such file or directory; make it with `sftatlas ingest evaluation_result.csv --db \(missing)`"), "\(serve.stderr)")
    }
}
