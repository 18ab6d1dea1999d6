@testable import AtlasServer
import AtlasTestSupport
import Foundation
import Testing

/// The server over real sockets on ephemeral ports.
@Suite(.serialized) struct HTTPServerTests {
    static let page = HTTPResource(contentType: "text/html; charset=utf-8", body: Array(String(repeating: "<p>gain</p>\n", count: 200).utf8),
                                   etag: "\"abc123\"", headers: [("Cache-Control", "public, max-age=60")])

    /// `gzip -dc` of `bytes`.
    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: "/bin/gzip")
        tool.arguments = ["-dc"]
        let input = Pipe(), output = Pipe()
        tool.standardInput = input
        tool.standardOutput = output
        try tool.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let decoded = output.fileHandleForReading.readDataToEndOfFile()
        tool.waitUntilExit()
        return tool.terminationStatus == 0 ? Array(decoded) : []
    }

    static func server(_ configure: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> HTTPServer {
        var c = HTTPServer.Configuration()
        c.port = 0
        c.loops = 2
        configure(&c)
        let server = try HTTPServer(c) { request in
            switch request.path {
            case "/": return page
            case "/echo": return HTTPResource(contentType: "text/plain; charset=utf-8", body: Array(request.values("q").joined(separator: ",").utf8), compress: false)
            default: return HTTPResource(status: 404, contentType: "text/plain; charset=utf-8", text: "no such page\n")
            }
        }
        server.start()
        return server
    }

    @Test func keepAlivePipeliningAndHead() throws {
        let server = try Self.server()
        defer { server.stop(); server.wait() }
        let client = try TestClient(port: server.port)
        // Three requests in one write: answered in order on the same connection.
        client.send("GET /echo?q=1 HTTP/1.1\r\nHost: t\r\n\r\nHEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?q=3 HTTP/1.1\r\nHost: t\r\n\r\n")
        let first = try #require(client.response())
        let second = try #require(client.response(head: true))
        let third = try #require(client.response())
        #expect(first.status == 200 && first.text == "1")
        #expect(second.status == 200 && second.headers["content-length"] == String(Self.page.body.count) && second.body.isEmpty)
        #expect(third.text == "3")
        #expect(first.headers["date"] != nil && first.headers["content-type"] == "text/plain; charset=utf-8")
        // Still open: a fourth request on the same connection.
        client.send("GET /missing HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.response()?.status == 404)
    }

    @Test func conditionalAndGzip() throws {
        let server = try Self.server()
        defer { server.stop(); server.wait() }
        let client = try TestClient(port: server.port)
        client.send("GET / HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"other\", W/\"abc123\"\r\n\r\n")
        let notModified = try #require(client.response(head: true))
        #expect(notModified.status == 304 && notModified.headers["etag"] == "\"abc123\"" && notModified.headers["content-length"] == nil)
        client.send("GET / HTTP/1.1\r\nHost: t\r\nAccept-Encoding: deflate, gzip;q=0.5\r\n\r\n")
        let zipped = try #require(client.response())
        #expect(zipped.headers["content-encoding"] == "gzip" && zipped.headers["vary"] == "Accept-Encoding")
        // Decoded by the gzip tool, not by the module that encoded it.
        #expect(try Self.gunzip(zipped.body) == Self.page.body.array)
        #expect(zipped.body.count < Self.page.body.count / 5)
        client.send("GET / HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip;q=0\r\n\r\n")
        let plain = try #require(client.response())
        #expect(plain.headers["content-encoding"] == nil && plain.body == Self.page.body.array)
    }

    @Test func limitsAndErrorsCloseTheConnection() throws {
        let server = try Self.server()
        defer { server.stop(); server.wait() }
        let cases: [(String, Int)] = [
            ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
            ("GET / HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "b", count: 17000) + "\r\n\r\n", 431),
            ("GET / HTTP/1.1\r\nHost: t\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
            ("GET / HTTP/1.1\r\nHost t\r\n\r\n", 400),
            ("PUT / HTTP/1.1\r\nHost: t\r\n\r\n", 405),
            ("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nabcd", 413),
            ("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n", 400),
            ("GET /..%5c..%5cwindows HTTP/1.1\r\nHost: t\r\n\r\n", 400),
            ("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\r\n\r\n", 400), // a TLS ClientHello
        ]
        for (text, status) in cases {
            let client = try TestClient(port: server.port)
            client.send(text)
            let response = try #require(client.response())
            #expect(response.status == status, "\(text.prefix(40).debugDescription)")
            #expect(response.headers["connection"] == "close")
            if status == 405 { #expect(response.headers["allow"] == "GET, HEAD") }
            #expect(client.closedByServer(within: 2))
        }
    }

    @Test func slowHeadersAreCutOffAndIdleConnectionsClosed() throws {
        let server = try Self.server { $0.headerTimeout = 1; $0.idleTimeout = 1 }
        defer { server.stop(); server.wait() }
        let slow = try TestClient(port: server.port)
        slow.send("GET / HTTP/1.1\r\nHost: t\r\n") // never finishes its head
        let idle = try TestClient(port: server.port)
        idle.send("GET /echo?q=x HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(idle.response()?.text == "x")
        let started = Date()
        #expect(slow.closedByServer(within: 5))
        #expect(idle.closedByServer(within: 5))
        #expect(Date().timeIntervalSince(started) < 4.5)
    }

    @Test func anIdleFloodDoesNotLockOutAClient() throws {
        let server = try Self.server { $0.maxConnections = 20; $0.loops = 1 }
        defer { server.stop(); server.wait() }
        // Fill every slot with connections that send nothing, then more.
        let flood = try (0..<40).map { _ in try TestClient(port: server.port) }
        Thread.sleep(forTimeInterval: 0.2)
        let client = try TestClient(port: server.port)
        client.send("GET /echo?q=served HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.response()?.text == "served")
        _ = flood
    }

    @Test func stopsGracefullyWithinTwoSeconds() throws {
        let server = try Self.server()
        let client = try TestClient(port: server.port)
        client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.response()?.status == 200)
        let started = Date()
        server.stop()
        server.wait()
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(client.closedByServer(within: 1))
        #expect((try? TestClient(port: server.port)) == nil)
    }
}
