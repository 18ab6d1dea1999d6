@testable import AtlasServer
import Testing

@Suite struct HTTPParserTests {
    func parse(_ text: String, _ parser: HTTPParser = HTTPParser()) -> HTTPParser.Result {
        Array(text.utf8).withUnsafeBytes { parser.parse($0) }
    }

    func request(_ text: String) throws -> HTTPRequest {
        guard case .request(let r, _) = parse(text) else { Issue.record("not parsed: \(parse(text))"); throw HTTPError.badRequest("") }
        return r
    }

    func status(_ text: String, _ parser: HTTPParser = HTTPParser()) -> Int? {
        if case .failure(let e) = parse(text, parser) { return e.status }
        return nil
    }

    /// Every status the server and the site answer with has its RFC 9110 reason phrase (the redirect to HTTPS
    /// once went out as "308 Status 308").
    @Test func everyStatusSentHasItsReasonPhrase() {
        let phrases = [200: "OK", 206: "Partial Content", 301: "Moved Permanently", 304: "Not Modified", 308: "Permanent Redirect",
                       400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout", 413: "Content Too Large",
                       414: "URI Too Long", 416: "Range Not Satisfiable", 431: "Request Header Fields Too Large",
                       500: "Internal Server Error", 503: "Service Unavailable", 505: "HTTP Version Not Supported"]
        for (status, phrase) in phrases { #expect(HTTPStatus.reason(status) == phrase, "\(status)") }
    }

    @Test func parsesAGetWithQueryAndHeaders() throws {
        let text = "GET /models/?base=qwen2.5-7b&base=olmo%2D7b&q=a+b%26c HTTP/1.1\r\nHost: x\r\nAccept-Encoding:  gzip, br \r\n\r\nGET / HTTP/1.1\r\n"
        guard case .request(let r, let consumed) = parse(text) else { Issue.record("not parsed"); return }
        #expect(r.method == .get && r.path == "/models/" && r.minorVersion == 1 && r.keepAlive)
        #expect(r.values("base") == ["qwen2.5-7b", "olmo-7b"])
        #expect(r.values("q") == ["a b&c"])
        #expect(r.header("accept-encoding") == "gzip, br")
        // It stops at the end of the head; the next pipelined request is left for the next call.
        #expect(consumed == text.utf8.count - "GET / HTTP/1.1\r\n".utf8.count)
    }

    @Test func incompleteHeadsWait() {
        #expect(parse("GET / HTTP/1.1\r\nHost: x\r\n") == .incomplete)
        #expect(parse("GE") == .incomplete)
        #expect(parse("") == .incomplete)
    }

    @Test func acceptsBareLFAndHTTP10() throws {
        let r = try request("HEAD /a HTTP/1.0\n\n")
        #expect(r.method == .head && r.minorVersion == 0 && !r.keepAlive)
        #expect(try request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive)
        #expect(!(try request("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").keepAlive))
    }

    @Test func limits() {
        var small = HTTPParser()
        small.maxRequestLine = 64
        small.maxHeaderBytes = 100
        small.maxHeaderFields = 3
        #expect(status("GET /" + String(repeating: "a", count: 100) + " HTTP/1.1\r\n\r\n", small) == 414)
        // Too long even before the line ends.
        #expect(status("GET /" + String(repeating: "a", count: 100), small) == 414)
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + String(repeating: "b", count: 200) + "\r\n\r\n", small) == 431)
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small) == 431)
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "c", count: 200), small) == 431)
    }

    @Test func malformedRequestsAre400() {
        for text in ["GET\r\n\r\n", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1 extra\r\n\r\n", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
                     "GET / HTTP/1.1\r\nHost x\r\n\r\n", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", "GET / HTTP/1.1\r\n: x\r\nHost: x\r\n\r\n",
                     "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "GET / JUNK/1.1\r\n\r\n",
                     "GET nopath HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n",
                     "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{0}b\r\n\r\n"] {
            #expect(status(text) == 400, "\(text.debugDescription)")
        }
        #expect(status("GET / HTTP/2.0\r\n\r\n") == 505)
    }

    @Test func methodsAndBodies() {
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\n\r\n") == 405)
        #expect(status("DELETE /models/ HTTP/1.1\r\nHost: x\r\n\r\n") == 405)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello") == 413)
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n") == 413)
        if case .request = parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n") {} else { Issue.record("Content-Length: 0 refused") }
    }

    @Test func traversalIsRefused() {
        for target in ["/../etc/passwd", "/a/../../b", "/%2e%2e/etc/passwd", "/%2E%2e%2fetc", "/a%2fb", "/a%5cb", "/a\\b",
                       "/a%00b", "/./a", "/%2e/a", "/a/%2E%2E", "/%c0%ae%c0%ae/", "/a%0ab", "/a%zz"] {
            #expect(status("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n") == 400, "\(target)")
        }
        #expect((try? request("GET //models///qwen/ HTTP/1.1\r\nHost: x\r\n\r\n"))?.path == "/models/qwen/")
        #expect((try? request("GET http://example.org/a/b?c=1 HTTP/1.1\r\nHost: x\r\n\r\n"))?.path == "/a/b")
        #expect((try? request("GET /caf%C3%A9 HTTP/1.1\r\nHost: x\r\n\r\n"))?.path == "/café")
    }
}
