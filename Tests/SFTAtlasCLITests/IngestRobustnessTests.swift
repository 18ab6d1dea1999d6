import AtlasTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `sftatlas ingest` given hostile or broken input: each case is an error that names the file, line and
/// column, exits 1 within seconds, and leaves the earlier database byte for byte as it was. Each of these
/// crashed, hung or silently accepted the input before (regression tests for issue 11, items 2, 3, 10–12;
/// run them against another build with SFTATLAS_BIN=path).
@Suite(.enabled(if: CLITests.binary != nil, "skipped: the sftatlas binary is not beside the test bundle"))
struct IngestRobustnessTests {
    /// A folder with `atlas.sqlite` ingested from the small fixture, and its bytes.
    func prepared() throws -> (folder: String, db: String, before: Data) {
        let folder = Fixture.folder()
        Fixture.write(Fixture.small, to: folder + "/good.csv")
        let ok = try Command.run(["ingest", folder + "/good.csv", "--db", folder + "/atlas.sqlite"])
        try #require(ok.status == 0, "\(ok.stderr)")
        return (folder, folder + "/atlas.sqlite", try Data(contentsOf: URL(fileURLWithPath: folder + "/atlas.sqlite")))
    }

    /// Ingests `bytes` as bad.csv over a good database; returns stderr after checking the failure was clean.
    func refused(_ bytes: [UInt8], timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let (folder, db, before) = try prepared()
        defer { Fixture.remove(folder) }
        Fixture.write(bytes: bytes, to: folder + "/bad.csv")
        let r = try Command.run(["ingest", folder + "/bad.csv", "--db", db], timeout: timeout)
        #expect(!r.timedOut, "ingest hung", sourceLocation: sourceLocation)
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("was not changed"), sourceLocation: sourceLocation)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "the database changed", sourceLocation: sourceLocation)
        return r.stderr
    }

    func refused(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try refused(Array(text.utf8), sourceLocation: sourceLocation)
    }

    /// The fixture's first base row with its mbpp score replaced.
    func withScore(_ value: String) -> String {
        Fixture.header + "\n" + Fixture.baseRow(0, "Qwen2.5-7B", [value, "1.0", "0.01", "1.0"]) + "\n"
    }

    @Test func scoresFarOutsideTheirScaleAreRefused() throws {
        // mbpp_4shot is a percentage: 0–100, with a tenth of the span either side.
        for value in ["1e19", "1e300", "-50", "110.5"] {
            let e = try refused(withScore(value))
            #expect(e.contains("bad.csv:2: column 'mbpp_4shot': is \(value), far outside the column's scale; expected -10 to 110"), "\(e)")
        }
        // Truthful_QA-0shot is a fraction: 0–1 (±0.1).
        let e = try refused(Fixture.header + "\n" + Fixture.baseRow(0, "Qwen2.5-7B", ["1", "1.0", "55.0", "1.0"]) + "\n")
        #expect(e.contains("column 'Truthful_QA-0shot': is 55.0, far outside the column's scale; expected -0.1 to 1.1"), "\(e)")
    }

    @Test func implausibleEpochsAndSampleCountsAreRefused() throws {
        let header = Fixture.header + "\n"
        let epochs = try refused(header + Fixture.tunedRow(0, "Qwen2.5-7B", "math", ["1", "1", "0.1", "1"], epoch: 9_223_372_036_854_775_807) + "\n")
        #expect(epochs.contains("bad.csv:2: column 'epoch': is '9223372036854775807' on a fine-tuned run; expected 1 to 1000"), "\(epochs)")
        let samples = try refused(header + Fixture.tunedRow(0, "Qwen2.5-7B", "math", ["1", "1", "0.1", "1"], size: "1e14") + "\n")
        #expect(samples.contains("column 'data_size': is '1e14' on a fine-tuned run; expected 1 to 1000000000 samples"), "\(samples)")
    }

    @Test func namesThatMakeOneIdAreAnErrorNamingBoth() throws {
        let header = Fixture.header + "\n"
        let bases = try refused(header + Fixture.baseRow(0, "Foo Model", ["1", "1", "0.1", "1"]) + "\n"
                                + Fixture.baseRow(1, "foo-model", ["1", "1", "0.1", "1"]) + "\n")
        #expect(bases.contains("bad.csv:3: column 'model_name': the base model name 'foo-model' and 'Foo Model' (line 2, column 'model_name') both make the id 'foo-model'"), "\(bases)")
        // A registered spelling beside an unregistered one.
        let registered = try refused(header + Fixture.baseRow(0, "Qwen2.5-7B", ["1", "1", "0.1", "1"]) + "\n"
                                     + Fixture.tunedRow(1, "qwen2.5-7b", "math", ["1", "1", "0.1", "1"]) + "\n")
        #expect(registered.contains("'qwen2.5-7b' and 'Qwen2.5-7B'"), "\(registered)")
        let datasets = try refused(header + Fixture.tunedRow(0, "Qwen2.5-7B", "My Data", ["1", "1", "0.1", "1"]) + "\n"
                                   + Fixture.tunedRow(1, "Qwen2.5-7B", "my_data", ["1", "1", "0.1", "1"], epoch: 2) + "\n")
        #expect(datasets.contains("the dataset name 'my_data' and 'My Data' (line 2, column 'data_name') both make the id 'my-data'"), "\(datasets)")
        for (a, b) in [("mbpp_4shot", "mbpp-4shot"), ("math-0shot", "math 0shot")] {
            let text = ",model_name,data_name,\(a),\(b),lora,epoch,data_size,lr_strategy\n0,Qwen2.5-7B,pretrain,1,1,None,0,0.0,None\n"
            let columns = try refused(text)
            #expect(columns.contains("bad.csv:1: column '\(b)': the column name '\(b)' and '\(a)'"), "\(columns)")
        }
    }

    @Test func namesOfDotsAreRefused() throws {
        let e = try refused(Fixture.header + "\n" + Fixture.baseRow(0, "..", ["1", "1", "0.1", "1"]) + "\n")
        #expect(e.contains("bad.csv:2: column 'model_name': the base model name '..' makes the id '..', which cannot be a page address"), "\(e)")
    }

    @Test func nulBytesAndInvalidUTF8AreRefusedWithLineAndColumn() throws {
        let nul = try refused(Fixture.header + "\n" + Fixture.baseRow(0, "Zeta\u{0}<script>", ["1", "1", "0.1", "1"]) + "\n")
        #expect(nul.contains("bad.csv:2: column 'model_name': holds a NUL byte"), "\(nul)")
        let nulHeader = try refused(Fixture.header.replacingOccurrences(of: "math-0shot", with: "math\u{0}-0shot") + "\n")
        #expect(nulHeader.contains("bad.csv:1: column '#5': holds a NUL byte"), "\(nulHeader)")
        var bytes = Array((Fixture.header + "\n").utf8) + Array("0,Qwen".utf8) + [0xFF, 0xFE] + Array(",pretrain,1,1,0.1,1,None,0,0.0,None\n".utf8)
        let invalid = try refused(bytes)
        #expect(invalid.contains("bad.csv:2: column 'model_name': holds bytes that are not UTF-8"), "\(invalid)")
        // A truncated multi-byte character in a quoted field.
        bytes = Array((Fixture.header + "\n").utf8) + Array("0,\"Qw".utf8) + [0xC3] + Array("\",pretrain,1,1,0.1,1,None,0,0.0,None\n".utf8)
        #expect(try refused(bytes).contains("bad.csv:2: column 'model_name': holds bytes that are not UTF-8"))
    }

    @Test func oversizedFieldsRowsAndHeadersAreRefused() throws {
        let long = try refused(Fixture.header + "\n" + Fixture.baseRow(0, String(repeating: "N", count: 5000), ["1", "1", "0.1", "1"]) + "\n")
        #expect(long.contains("bad.csv:2: column 'model_name': is longer than 1000 bytes"), "\(long)")
        let wide = try refused(",model_name,data_name," + (0..<100_000).map { "c\($0)" }.joined(separator: ",") + ",lora,epoch,data_size,lr_strategy\n")
        #expect(wide.contains("bad.csv:1: the row has more than 512 fields"), "\(wide)")
        // At most about 80 characters of a value are quoted, and control characters are escaped.
        let shown = try refused(Fixture.header + "\n" + Fixture.tunedRow(0, "Qwen2.5-7B", "math", ["1", "1", "0.1", "1"], lora: true)
            .replacingOccurrences(of: ",true,", with: ",\u{1B}[31m" + String(repeating: "x", count: 300) + ",") + "\n")
        #expect(shown.contains("is '\\u{1b}[31m" + String(repeating: "x", count: 75) + "… (225 more characters)'"), "\(shown)")
        #expect(!shown.contains("\u{1B}"))
    }

    /// Names go to the terminal in warnings and errors too: escaped there as well.
    @Test func namesInWarningsAndHeadersAreEscaped() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        Fixture.write(Fixture.header + "\n" + Fixture.baseRow(0, "Evil\u{1B}[2J", ["1", "1", "0.1", "1"]) + "\n", to: folder + "/in.csv")
        let ok = try Command.run(["ingest", folder + "/in.csv", "--db", folder + "/atlas.sqlite"])
        #expect(ok.status == 0 && ok.stderr.contains("warning: ") && ok.stderr.contains(": base model 'Evil\\u{1b}[2J' is not in the registry"), "\(ok.stderr)")
        #expect(!ok.stderr.contains("\u{1B}"))
        let header = try refused("a\u{1B}]0;title\u{7},b,c\n1,2,3\n")
        #expect(header.contains("the header starts 'a\\u{1b}]0;title\\u{7},b,c'") && !header.contains("\u{1B}"), "\(header)")
    }

    @Test func onlyRegularFilesOfBoundedSizeAreRead() throws {
        let (folder, db, before) = try prepared()
        defer { Fixture.remove(folder) }
        // A FIFO with no writer: opening it for reading would block for ever.
        try #require(mkfifo(folder + "/pipe.csv", 0o644) == 0)
        let fifo = try Command.run(["ingest", folder + "/pipe.csv", "--db", db], timeout: 10)
        #expect(!fifo.timedOut && fifo.status == 1)
        #expect(fifo.stderr.contains("pipe.csv: is not a regular file (a pipe, device or socket)"), "\(fifo.stderr)")
        // An endless device.
        let zero = try Command.run(["ingest", "/dev/zero", "--db", db], timeout: 10)
        #expect(!zero.timedOut && zero.status == 1)
        #expect(zero.stderr.contains("/dev/zero: is not a regular file"), "\(zero.stderr)")
        // Larger than --max-bytes.
        Fixture.write(Fixture.small, to: folder + "/good.csv")
        let big = try Command.run(["ingest", folder + "/good.csv", "--db", db, "--max-bytes", "100"])
        #expect(big.status == 1 && big.stderr.contains("good.csv: is \(Fixture.small.utf8.count) bytes; expected at most 100"), "\(big.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    @Test func staleTemporaryFilesAreRemovedAndASecondIngestIsLockedOut() throws {
        let (folder, db, before) = try prepared()
        defer { Fixture.remove(folder) }
        // What an ingest killed mid-write leaves: its pid is gone (pid_max is at most 2^22).
        let stale = folder + "/.atlas.sqlite.ingest-4194304.tmp"
        Fixture.write("half a database", to: stale)
        #expect(try Command.run(["ingest", folder + "/good.csv", "--db", db]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: stale))

        // Another ingest holds the lock beside the target.
        let rewritten = try Data(contentsOf: URL(fileURLWithPath: db))
        let lock = open(folder + "/.atlas.sqlite.lock", O_RDWR | O_CREAT, 0o644)
        try #require(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0)
        let second = try Command.run(["ingest", folder + "/good.csv", "--db", db])
        close(lock)
        #expect(second.status == 1)
        #expect(second.stderr.contains("another ingest is writing it now"), "\(second.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == rewritten)
        _ = before
    }
}
