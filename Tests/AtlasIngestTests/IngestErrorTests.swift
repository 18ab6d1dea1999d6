import AtlasIngest
import AtlasStore
import AtlasTestSupport
import Foundation
import Testing

/// Each kind of bad input: an error naming file, line (and column) and what was expected, and the
/// previous database left byte-for-byte as it was.
@Suite struct IngestErrorTests {
    /// Ingests `text` as `bad.csv` over an existing good database; returns the error, after checking
    /// that the database's bytes did not change and no temporary file was left beside it.
    private func failure(_ text: String) throws -> IngestError {
        try failure(writing: { Fixture.write($0, to: $1) }, text)
    }

    private func failure(writing: (String, String) -> Void, _ text: String) throws -> IngestError {
        let (folder, db, before) = try goodDatabase()
        defer { Fixture.remove(folder) }
        let bad = folder + "/bad.csv"
        writing(text, bad)
        var caught: IngestError?
        do {
            _ = try Ingest().run(paths: [bad], database: db)
        } catch let error as IngestError {
            caught = error
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "the database changed")
        // Nothing left behind but the ingest lock file, which stays (removing it would race another ingest).
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [".atlas.sqlite.lock", "atlas.sqlite", "bad.csv", "good.csv"])
        return try #require(caught)
    }

    /// A new folder with `good.csv` ingested into `atlas.sqlite`; returns both paths and the database's bytes.
    private func goodDatabase() throws -> (folder: String, db: String, bytes: Data) {
        let folder = Fixture.folder()
        let db = folder + "/atlas.sqlite"
        Fixture.write(Fixture.small, to: folder + "/good.csv")
        var ingest = Ingest()
        ingest.analyses = false
        _ = try ingest.run(paths: [folder + "/good.csv"], database: db)
        return (folder, db, try Data(contentsOf: URL(fileURLWithPath: db)))
    }

    private var goodLines: [String] { Fixture.small.split(separator: "\n").map(String.init) }

    @Test func truncatedFile() throws {
        // Cut the file in the middle of its last row.
        let text = String(Fixture.small.dropLast(20))
        let e = try failure(text)
        #expect(e.line == 11 && e.file.hasSuffix("bad.csv"))
        #expect(e.message.contains("truncated") && e.message.contains("fields"))
    }

    @Test func truncatedInsideAQuotedField() throws {
        let e = try failure(Fixture.header + "\n0,Qwen2.5-7B,\"lima")
        #expect(e.line == 2 && e.message.contains("never closed") && e.message.contains("truncated"))
    }

    @Test func missingRequiredColumn() throws {
        let text = Fixture.small.replacingOccurrences(of: ",epoch,", with: ",epochs,")
        let e = try failure(text)
        #expect(e.line == 1 && e.column == "epoch" && e.message.contains("missing"))
    }

    @Test func nonNumericScore() throws {
        var lines = goodLines
        lines[3] = lines[3].replacingOccurrences(of: "49.0", with: "forty-nine")
        let e = try failure(lines.joined(separator: "\n"))
        #expect(e.line == 4 && e.column == "mbpp_4shot" && e.message.contains("'forty-nine'") && e.message.contains("expected a number"))
        #expect(e.description.hasPrefix(e.file + ":4: column 'mbpp_4shot': is 'forty-nine'"))
    }

    @Test func unknownLoraValue() throws {
        var lines = goodLines
        lines[2] = lines[2].replacingOccurrences(of: ",false,", with: ",yes,")
        let e = try failure(lines.joined(separator: "\n"))
        #expect(e.line == 3 && e.column == "lora" && e.message.contains("'yes'") && e.message.contains("'true'"))
    }

    @Test func negativeEpoch() throws {
        var lines = goodLines
        lines[2] = lines[2].replacingOccurrences(of: ",10,1000.0,", with: ",-2,1000.0,")
        let e = try failure(lines.joined(separator: "\n"))
        #expect(e.line == 3 && e.column == "epoch" && e.message.contains("'-2'") && e.message.contains("non-negative integer"))
    }

    @Test func nonIntegerEpoch() throws {
        var lines = goodLines
        lines[2] = lines[2].replacingOccurrences(of: ",10,1000.0,", with: ",2.5,1000.0,")
        let e = try failure(lines.joined(separator: "\n"))
        #expect(e.line == 3 && e.column == "epoch" && e.message.contains("'2.5'"))
    }

    @Test func duplicateRunKeyNamesBothLines() throws {
        let text = Fixture.small + Fixture.tunedRow(10, "Qwen2.5-7B", "code_alpaca", ["1", "2", "0.1", "3"]) + "\n"
        let e = try failure(text)
        // The first code_alpaca row is the file's line 5; the repeat is line 12.
        #expect(e.line == 12 && e.message.contains("line 5") && e.message.contains("line 12"))
        #expect(e.message.contains("qwen2.5-7b.code-alpaca.full.1k.cosine.ep10"))
    }

    @Test func emptyFile() throws {
        let e = try failure("")
        #expect(e.message.contains("empty"))
        #expect(try failure("\u{FEFF}\n\n").message.contains("empty"))
    }

    @Test func headerWithoutRows() throws {
        let e = try failure(Fixture.header + "\n")
        #expect(e.line == 1 && e.message.contains("no data rows"))
    }

    @Test func unrecognizedFormat() throws {
        let e = try failure("name,score\nx,1\n")
        #expect(e.line == 1 && e.message.contains("unrecognized format") && e.message.contains("model_name"))
    }

    @Test func directoryAndUnreadablePath() throws {
        let (folder, db, before) = try goodDatabase()
        defer { Fixture.remove(folder) }
        try FileManager.default.createDirectory(atPath: folder + "/dir.csv", withIntermediateDirectories: false)
        #expect {
            _ = try Ingest().run(paths: [folder + "/dir.csv"], database: db)
        } throws: { error in
            (error as? IngestError).map { $0.file.hasSuffix("dir.csv") && $0.message.contains("is a directory") } ?? false
        }
        #expect {
            _ = try Ingest().run(paths: [folder + "/good.csv", folder + "/absent.csv"], database: db)
        } throws: { error in
            (error as? IngestError).map { $0.file.hasSuffix("absent.csv") && $0.message.contains("cannot be read") } ?? false
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    @Test func normalExportsAreAccepted() throws {
        // A UTF-8 BOM, CRLF line endings, and a quoted field with a comma and a line break.
        var lines = goodLines
        lines[2] = lines[2].replacingOccurrences(of: "Qwen2.5-7B", with: "\"Qwen2.5-7B\"")
        let crlf = "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
        #expect(try Fixture.load(crlf).0.runs.count == 10)
        let quoted = ",model_name,data_name,\"odd, name\nhere-1shot\",lora,epoch,data_size,lr_strategy\n0,Qwen2.5-7B,lima,\"1.5\",false,1,1000.0,cosine\n"
        let (r, _) = try Fixture.load(quoted)
        #expect(r.columns.first?.sourceName == "odd, name\nhere-1shot")
        // The data row follows a header that spans lines 1–2, so it is line 3.
        #expect(r.runs.first?.sourceLine == 3)
    }
}
