import AtlasStore
import AtlasTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `sftatlas serve` under hostile but fair clients, over real sockets on loopback. Each test is a finding
/// of issue 11 that crashed, stalled, bloated or misanswered before its fix; run them against another
/// build with SFTATLAS_BIN=path. The attackers connect from 127.0.0.1; the client that must still be
/// served connects from 127.0.0.2, which counts as another address.
@Suite(.serialized, .enabled(if: CLITests.binary != nil, "skipped: the sftatlas binary is not beside the test bundle"))
struct ServeRobustnessTests {
    /// The synthetic demo (1,030 runs, as large as the release): its downloads are megabytes.
    static let demo: String = {
        let path = Fixture.folder() + "/demo.sqlite"
        let r = try? Command.run(["ingest", "--demo", "--db", path])
        precondition(r?.status == 0, "the demo could not be ingested: \(r?.stderr ?? "")")
        return path
    }()

    /// The small fixture with hostile names, ingested into a new folder.
    func fixture() throws -> (folder: String, db: String) {
        let folder = Fixture.folder()
        Fixture.write(Fixture.small + Fixture.hostile, to: folder + "/in.csv")
        let r = try Command.run(["ingest", folder + "/in.csv", "--db", folder + "/atlas.sqlite"])
        try #require(r.status == 0, "\(r.stderr)")
        return (folder, folder + "/atlas.sqlite")
    }

    func serve(_ db: String, _ extra: [String] = [], shellPrefix: String? = nil) throws -> ServerProcess {
        try ServerProcess(binary: try #require(CLITests.binary), arguments: ["--db", db] + extra, shellPrefix: shellPrefix)
    }

    /// Item 1: one GET with a huge page number trapped on `(page - 1) * 50`.
    @Test func hugeIntegersInTheQueryAreA400() throws {
        let (folder, db) = try fixture()
        defer { Fixture.remove(folder) }
        let server = try serve(db)
        defer { server.stop() }
        let page = try #require(server.get("/models/?page=184467440737095518"))
        #expect(page.status == 400 && page.text.contains("page"))
        for (target, parameter) in [("/api/v1/models.json?limit=99999999999999999999", "limit"), ("/api/v1/models.json?offset=-1", "offset"),
                                    ("/api/v1/models.json?offset=9223372036854775807&limit=9223372036854775807", "offset")] {
            let r = try #require(server.get(target), "no answer to \(target)")
            #expect(r.status == 400 && r.text.contains("\"parameter\":\"\(parameter)\""), "\(target): \(r.status) \(r.text)")
        }
        #expect(server.get("/")?.status == 200)
        #expect(server.isRunning)
    }

    /// Item 2: values no ingest accepts any more, written straight into a database, trapped in number
    /// formatting and neighbour arithmetic on pages, query views and the static build.
    @Test func extremeStoredValuesNeitherCrashPagesNorTheBuild() throws {
        let (folder, db) = try fixture()
        defer { Fixture.remove(folder) }
        do {
            let c = try Connection(path: db, mode: .readWriteCreate)
            try c.execute("""
                UPDATE scores SET value = 1e300 WHERE run = 3; UPDATE scores SET value = -1e19 WHERE run = 4;
                UPDATE scores SET value = 9.3e18 WHERE run = 5; UPDATE runs SET epochs = 9223372036854775807 WHERE position = 3;
                UPDATE runs SET samples = -9223372036854775808 WHERE position = 4;
                """)
        }
        let build = try Command.run(["build", "--db", db, "--out", folder + "/site", "--assets", Fixture.repository])
        #expect(build.status == 0, "\(build.stderr.suffix(500))")
        #expect(!FileManager.default.fileExists(atPath: folder + "/site/index.html") || build.status == 0)
        let server = try serve(db)
        defer { server.stop() }
        let list = try #require(server.get("/api/v1/models.json"))
        let ids = try #require((try JSONSerialization.jsonObject(with: Data(list.body)) as? [String: Any])?["rows"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        try #require(ids.count == 12)
        for id in ids { #expect(server.get("/models/\(id)/")?.status == 200, "/models/\(id)/") }
        for target in ["/compare/?ids=\(ids[3]),\(ids[4]),\(ids[5])", "/compare/chart.png?ids=\(ids[3]),\(ids[4])", "/models/?sort=mbpp-4shot&order=desc",
                       "/models/?sort=epochs", "/models/?sort=samples", "/api/v1/models.csv?sort=mbpp-4shot"] {
            #expect(server.get(target)?.status == 200, "\(target)")
        }
        #expect(server.isRunning)
    }

    /// Item 4: the file changed under a running server: truncated (SIGBUS through the mmap), overwritten
    /// (wrong answers), deleted (an empty download). One snapshot is served for the server's lifetime.
    @Test func aDatabaseChangedUnderTheServerChangesNothing() throws {
        let (folder, db) = try fixture()
        defer { Fixture.remove(folder) }
        let original = try Data(contentsOf: URL(fileURLWithPath: db))
        let server = try serve(db)
        defer { server.stop() }
        func total(_ query: String) -> Int? {
            guard let r = server.get("/api/v1/models.json?" + query), r.status == 200,
                  let doc = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] else { return nil }
            return (doc["rows"] as? [Any])?.count
        }
        #expect(total("sort=epochs") == 12)
        truncate(db, 0) // in place, as a careless copy or a full disk would
        #expect(total("sort=samples") == 12)
        // The fixture's LoRA runs, counted in its text.
        #expect(total("method=lora") == (Fixture.small + Fixture.hostile).components(separatedBy: ",true,").count - 1)
        // Overwritten in place with another database (cp keeps the inode).
        let other = try Data(contentsOf: URL(fileURLWithPath: Self.demo))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: db))
        try handle.write(contentsOf: other)
        try handle.close()
        #expect(total("sort=schedule") == 12)
        try FileManager.default.removeItem(atPath: db)
        let download = try #require(server.get("/downloads/sftatlas.sqlite"))
        #expect(download.status == 200 && Data(download.body) == original)
        #expect(server.get("/downloads/")?.text.contains(SHA256.hex(of: Array(original))) == true)
        #expect(server.isRunning)
    }

    /// Items 5 and 6: connections that never read their (megabytes of) answer, and connections that send a
    /// head one byte at a time, held every slot: everyone else got 503 or a reset.
    @Test func nonReadingAndSlowClientsDoNotLockOthersOut() throws {
        let server = try serve(Self.demo, ["--max-connections", "100"])
        defer { server.stop() }
        var held: [TestClient] = []
        for _ in 0..<150 {
            guard let c = try? TestClient(port: server.port, receiveBuffer: 4096) else { continue }
            c.send("GET /downloads/scores-long.csv HTTP/1.1\r\nHost: t\r\n\r\n")
            held.append(c)
        }
        for _ in 0..<150 {
            guard let c = try? TestClient(port: server.port) else { continue }
            c.send("G")
            held.append(c)
        }
        usleep(500_000)
        for _ in 0..<5 {
            let r = server.get("/", source: "127.0.0.2")
            #expect(r?.status == 200, "\(r.map { "\($0.status) \($0.text.prefix(80))" } ?? "no answer")")
        }
        #expect(server.isRunning)
        _ = held
    }

    /// Item 7: once 4 MB of answers were queued, the pipelined requests still in the input were never
    /// parsed: 10 pipelined downloads of the 1.4 MB database got 3 answers.
    @Test func pipelinedRequestsAreAllAnswered() throws {
        let server = try serve(Self.demo)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        client.send(String(repeating: "GET /downloads/sftatlas.sqlite HTTP/1.1\r\nHost: t\r\n\r\n", count: 10))
        let size = try Data(contentsOf: URL(fileURLWithPath: Self.demo)).count
        var answered = 0
        while answered < 10, let r = client.response(), r.status == 200, r.body.count == size { answered += 1 }
        #expect(answered == 10)
    }

    /// Item 8: at the descriptor limit, accept4 failed with EMFILE and the loops retried at once: 200% CPU.
    @Test func theDescriptorLimitDoesNotSpinTheServer() throws {
        let server = try serve(Self.demo, [], shellPrefix: "ulimit -n 128")
        defer { server.stop() }
        var held: [TestClient] = []
        for source in ["127.0.0.1", "127.0.0.3", "127.0.0.4", "127.0.0.5"] {
            for _ in 0..<60 { if let c = try? TestClient(port: server.port, source: source) { held.append(c) } }
        }
        let before = server.cpuSeconds, started = Date()
        usleep(2_000_000)
        let busy = (server.cpuSeconds - before) / Date().timeIntervalSince(started)
        #expect(busy < 0.3, "the server used \(busy) CPU-seconds per second holding \(held.count) idle connections")
        #expect(server.get("/", source: "127.0.0.2")?.status == 200)
        #expect(server.isRunning)
    }

    /// Item 9: every new query string on a page that takes none built and kept a new answer (2,000 HEADs of
    /// a 3.3 MB download with ?x=N reached 6.9 GB); answers to distinct valid views are bounded in bytes.
    @Test func queriesCannotBloatTheServer() throws {
        let server = try serve(Self.demo)
        defer { server.stop() }
        #expect(server.get("/downloads/scores-long.csv")?.status == 200)
        let start = server.residentBytes
        let client = try TestClient(port: server.port)
        for n in 0..<300 {
            client.send("HEAD /downloads/scores-long.csv?x=\(n) HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(client.response(head: true)?.status == 400)
        }
        // Distinct, valid views, each a large answer (every run after the offset, all columns in JSON).
        for n in 0..<300 {
            client.send("GET /api/v1/models.json?offset=\(n) HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(client.response()?.status == 200)
        }
        let grown = server.residentBytes - start
        #expect(grown < 96 << 20, "resident memory grew by \(grown >> 20) MB")
    }

    /// The HTTP details of issue 11: If-Modified-Since, Range, HTTP/1.0 keep-alive, HEAD errors, the
    /// absolute form's scheme, and the hardening headers.
    @Test func httpDetails() throws {
        let (folder, db) = try fixture()
        defer { Fixture.remove(folder) }
        let server = try serve(db)
        defer { server.stop() }
        let page = try #require(server.get("/figures/"))
        let lastModified = try #require(page.headers["last-modified"])
        #expect(server.get("/figures/", headers: ["If-Modified-Since: \(lastModified)"])?.status == 304)
        #expect(server.get("/figures/", headers: ["If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT"])?.status == 200)
        #expect(page.headers["x-content-type-options"] == "nosniff")
        let csp = try #require(page.headers["content-security-policy"])
        #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval") && !csp.contains("script-src 'self' 'unsafe-inline'"))

        let file = try Data(contentsOf: URL(fileURLWithPath: db))
        let whole = try #require(server.get("/downloads/sftatlas.sqlite"))
        #expect(whole.headers["accept-ranges"] == "bytes")
        let first = try #require(server.get("/downloads/sftatlas.sqlite", headers: ["Range: bytes=0-15"]))
        #expect(first.status == 206 && first.headers["content-range"] == "bytes 0-15/\(file.count)")
        #expect(first.text == "SQLite format 3\u{0}")
        let last = try #require(server.get("/downloads/sftatlas.sqlite", headers: ["Range: bytes=-10"]))
        #expect(last.status == 206 && Data(last.body) == file.suffix(10))
        let resume = try #require(server.get("/downloads/sftatlas.sqlite", headers: ["Range: bytes=100-"]))
        #expect(resume.status == 206 && Data(resume.body) == file.dropFirst(100))
        let beyond = try #require(server.get("/downloads/sftatlas.sqlite", headers: ["Range: bytes=\(file.count)-"]))
        #expect(beyond.status == 416 && beyond.headers["content-range"] == "bytes */\(file.count)")
        let changed = try #require(server.get("/downloads/sftatlas.sqlite", headers: ["Range: bytes=0-15", "If-Range: \"not-this-version\""]))
        #expect(changed.status == 200 && changed.body.count == file.count)

        // HTTP/1.0 with keep-alive: the answer says so, and the connection serves a second request.
        let old = try TestClient(port: server.port)
        old.send("GET /robots.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(old.response()?.headers["connection"] == "keep-alive")
        old.send("GET /robots.txt HTTP/1.0\r\n\r\n")
        #expect(old.response()?.status == 200)

        // A HEAD answer carries no body, even for a request that could not be parsed.
        for head in ["HEAD /%2e%2e/x HTTP/1.1\r\nHost: t\r\n\r\n", "HEAD /no-such-page HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"] {
            let client = try TestClient(port: server.port)
            client.send(head)
            let raw = client.readToClose()
            let text = String(decoding: raw, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 4") && text.hasSuffix("\r\n\r\n"), "\(text.debugDescription)")
        }
        let absolute = try TestClient(port: server.port)
        absolute.send("GET HTTPS://Example.org/robots.txt HTTP/1.1\r\nHost: example.org\r\n\r\n")
        #expect(absolute.response()?.status == 200)
    }
}
