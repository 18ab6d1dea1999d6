import AtlasTestSupport
import Foundation
import Testing

/// `sftatlas serve` as a user runs it: over a real socket on an ephemeral port, with names from the data
/// that try to inject HTML, then stopped with SIGTERM.
@Suite struct ServeTests {
    /// Sends one request on a new connection and returns the whole response (the server closes it).
    func fetch(port: Int, _ path: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(ok == 0)
        let request = Array("GET \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            response += chunk[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }

    @Test(.enabled(if: CLITests.binary != nil, "skipped: the sftatlas binary is not beside the test bundle"))
    func servesEscapedPagesAndStopsOnSIGTERM() throws {
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        let csv = Fixture.small + Fixture.baseRow(10, "<script>alert(1)</script>", ["1.0", "1.0", "0.01", "1.0"]) + "\n"
            + Fixture.tunedRow(11, "<script>alert(1)</script>", "=1+2@evil", ["2.0", "2.0", "0.02", "2.0"]) + "\n"
        Fixture.write(csv, to: folder + "/hostile.csv")
        let ingest = Process()
        ingest.executableURL = CLITests.binary
        ingest.arguments = ["ingest", folder + "/hostile.csv", "--db", folder + "/atlas.sqlite"]
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        ingest.waitUntilExit()
        try #require(ingest.terminationStatus == 0)

        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
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
        #expect(bases.hasPrefix("HTTP/1.1 200 OK"))
        #expect(bases.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !bases.contains("<script>alert"))
        let csvAnswer = try fetch(port: port, "/api/v1/datasets.csv")
        #expect(csvAnswer.contains("'=1+2@evil"))
        let traversal = try fetch(port: port, "/public/..%2f..%2fPackage.swift")
        #expect(traversal.hasPrefix("HTTP/1.1 400"))

        let started = Date()
        serve.terminate() // SIGTERM
        serve.waitUntilExit()
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(serve.terminationStatus == 0)
    }
}
