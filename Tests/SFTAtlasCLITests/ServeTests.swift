import AtlasTestSupport
import Foundation
import Testing

/// `sftatlas serve` as a user runs it: over a real socket on an ephemeral port, with names from the data
/// that try to inject HTML, then stopped with SIGTERM.
@Suite struct ServeTests {
    /// Sends one request on a new connection and returns the response's status and body.
    func fetch(port: Int, _ path: String) throws -> TestClient.Response {
        let client = try TestClient(port: port)
        client.send("GET \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        return try #require(client.response())
    }

    @Test(.enabled(if: CLITests.binary != nil, "skipped: the sftatlas binary is not beside the test bundle"))
    func servesEscapedPagesAndStopsOnSIGTERM() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        Fixture.write(Fixture.small + Fixture.hostile, to: folder + "/hostile.csv")
        let ingest = Process()
        ingest.executableURL = CLITests.binary
        ingest.arguments = ["ingest", folder + "/hostile.csv", "--db", folder + "/atlas.sqlite"]
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        ingest.waitUntilExit()
        try #require(ingest.terminationStatus == 0)

        let repository = Fixture.repository
        let serve = Process()
        serve.executableURL = CLITests.binary
        serve.arguments = ["serve", "--db", folder + "/atlas.sqlite", "--port", "0", "--assets", repository]
        let err = Pipe()
        serve.standardError = err
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }
        // "serving … at http://127.0.0.1:PORT/ …"
        var banner = ""
        while !banner.contains("\n") {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }
            banner += String(decoding: data, as: UTF8.self)
        }
        let port = try #require(banner.split(separator: ":").compactMap { Int($0.prefix { $0.isNumber }) }.last, "no port in: \(banner)")

        let bases = try fetch(port: port, "/bases/")
        #expect(bases.status == 200)
        #expect(bases.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !bases.text.contains("<script>alert"))
        #expect(try fetch(port: port, "/api/v1/datasets.csv").text.contains("'=1+2@evil"))
        #expect(try fetch(port: port, "/public/..%2f..%2fPackage.swift").status == 400)

        let started = Date()
        serve.terminate() // SIGTERM
        serve.waitUntilExit()
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(serve.terminationStatus == 0)
    }

    /// The catalog's "CSV · JSON of exactly this view" links export every matching row, not the page shown.
    @Test(.enabled(if: CLITests.binary != nil, "skipped: the sftatlas binary is not beside the test bundle"))
    func exportLinksCoverTheWholeView() throws {
        let server = try ServerProcess(binary: try #require(CLITests.binary), arguments: ["--db", ServeRobustnessTests.demo])
        defer { server.stop() }
        let page = try #require(server.get("/models/?method=full&sort=epochs"))
        let total = try #require(page.text.firstMatch(of: #/(\d+) of \d+ models match/#).flatMap { Int($0.1) })
        #expect(total > 50) // more than one page
        let href = try #require(page.text.firstMatch(of: #/href="(/api/v1/models\.csv[^"]*)"/#).map { String($0.1) })
        let csv = try #require(server.get(href.replacingOccurrences(of: "&amp;", with: "&")))
        // Header plus one line per run (CRLF line ends, no line breaks inside these fields).
        #expect(csv.status == 200 && csv.text.split(separator: "\r\n").count == total + 1, "\(href)")
    }

    /// `serve --cors` lets pages elsewhere read the JSON and CSV answers; pages and the default stay closed.
    @Test(.enabled(if: CLITests.binary != nil, "skipped: the sftatlas binary is not beside the test bundle"))
    func corsIsOffByDefaultAndOnForTheDataWithTheFlag() throws {
        let plain = try ServerProcess(binary: try #require(CLITests.binary), arguments: ["--db", ServeRobustnessTests.demo])
        #expect(plain.get("/api/v1/bases.json")?.headers["access-control-allow-origin"] == nil)
        plain.stop()
        let open = try ServerProcess(binary: try #require(CLITests.binary), arguments: ["--db", ServeRobustnessTests.demo, "--cors"])
        defer { open.stop() }
        for target in ["/api/v1/bases.json", "/api/v1/models.csv?method=lora", "/api/v1/models.json?page=x"] {
            #expect(open.get(target)?.headers["access-control-allow-origin"] == "*", "\(target)")
        }
        #expect(open.get("/models/")?.headers["access-control-allow-origin"] == nil)
        let etag = try #require(open.get("/api/v1/bases.json")?.headers["etag"])
        let revalidated = try #require(open.get("/api/v1/bases.json", headers: ["If-None-Match: \(etag)"]))
        #expect(revalidated.status == 304 && revalidated.headers["access-control-allow-origin"] == "*")
    }
}
