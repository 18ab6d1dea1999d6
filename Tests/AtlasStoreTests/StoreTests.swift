import AtlasIngest
import AtlasStore
import AtlasTestSupport
import CSQLite
import Foundation
import Testing

@Suite struct StoreTests {
    @Test func sha256KnownVectors() {
        // FIPS 180-2 test vectors.
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func readOnlyIsEnforcedAtOpen() throws {
        let path = try Fixture.database()
        defer { Fixture.remove((path as NSString).deletingLastPathComponent) }
        let connection = try Connection(path: path, mode: .readOnly)
        #expect(throws: SQLiteError.self) { try connection.execute("DELETE FROM runs") }
        do {
            try connection.execute("DELETE FROM runs")
        } catch let error as SQLiteError {
            #expect(error.code & 0xFF == SQLITE_READONLY)
        }
    }

    @Test func notAnAtlasDatabase() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        let other = try Connection(path: folder + "/other.sqlite", mode: .readWriteCreate)
        try other.execute("CREATE TABLE t (x)")
        #expect(throws: StoreError.self) { _ = try AtlasDatabase(path: folder + "/other.sqlite") }
        #expect(throws: StoreError.self) { _ = try AtlasDatabase(path: folder + "/absent.sqlite") }
    }

    @Test func failedWriteLeavesTargetUntouchedAndNoTemporaryFile() throws {
        let path = try Fixture.database()
        let folder = (path as NSString).deletingLastPathComponent
        defer { Fixture.remove(folder) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var (results, _) = try Fixture.load(Fixture.small)
        // Two bases with the same id violate a UNIQUE constraint halfway through the write.
        results.bases.append(results.bases[0])
        #expect(throws: SQLiteError.self) { try StoreWriter.write(results, to: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [".atlas.sqlite.lock", "atlas.sqlite"])
    }

    @Test func sameInputGivesTheSameBytes() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        var ingest = Ingest()
        ingest.ingestedAt = Date(timeIntervalSince1970: 1_750_000_000)
        for name in ["a", "b"] {
            let (results, _) = try ingest.load(files: [("fixture.csv", Array(Fixture.small.utf8))], synthetic: false)
            try StoreWriter.write(results, to: "\(folder)/\(name).sqlite")
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/a.sqlite"))
        let b = try Data(contentsOf: URL(fileURLWithPath: folder + "/b.sqlite"))
        #expect(a == b && !a.isEmpty)
    }
}
