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
}
