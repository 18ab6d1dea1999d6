@testable import AtlasServer
import AtlasTestSupport
import Foundation
import Testing

/// Who gets a connection when the server is full, and when a connection is closed: over real sockets.
@Suite(.serialized) struct AdmissionTests {
    /// 8 MB that do not compress: far more than a socket buffer holds.
    static let big = HTTPResource(contentType: "application/octet-stream", body: (0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })

    static func server(_ configure: (inout HTTPServer.Configuration) -> Void) throws -> HTTPServer {
        var c = HTTPServer.Configuration()
        c.port = 0
        configure(&c)
        let server = try HTTPServer(c) { request in
            switch request.path {
            case "/big": return big
            case "/slow":
                usleep(300_000)
                return HTTPResource(contentType: "text/plain; charset=utf-8", text: "slow\n")
            default: return HTTPResource(contentType: "text/plain; charset=utf-8", text: "ok\n")
            }
        }
        server.start()
        return server
    }

    @Test func aClientThatTakesNothingIsClosedAfterTheSendTimeout() throws {
        let server = try Self.server { $0.sendTimeout = 1; $0.loops = 1 }
        defer { server.stop(); server.wait() }
        let stalled = try TestClient(port: server.port, receiveBuffer: 4096)
        stalled.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(200_000)
        #expect(server.openConnections == 1)
        // The sweep runs each second: closed between 1 and about 2.5 s after the last progress.
        let deadline = Date().addingTimeInterval(4)
        while server.openConnections > 0 && Date() < deadline { usleep(50_000) }
        #expect(server.openConnections == 0)
    }

    @Test func atTheCapStalledWritersAndIdleConnectionsMakeRoomBeforeBusyOnes() throws {
        // One loop, so that the order of eviction is all in one place (across loops, see the next test).
        let server = try Self.server { $0.maxConnections = 6; $0.maxConnectionsPerAddress = 0; $0.loops = 1 }
        defer { server.stop(); server.wait() }
        // Three that never read their 8 MB, two idle keep-alives, one still sending its head.
        var clients: [TestClient] = []
        for _ in 0..<3 {
            let c = try TestClient(port: server.port, receiveBuffer: 4096)
            c.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            clients.append(c)
        }
        for _ in 0..<2 {
            let c = try TestClient(port: server.port)
            c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c.response()?.text == "ok\n")
            clients.append(c)
        }
        let partial = try TestClient(port: server.port)
        partial.send("GET / HTTP/1.1\r\n")
        usleep(1_200_000) // the writers are now stalled (no progress for over a second)
        #expect(server.openConnections == 6)
        // Six newcomers, one after another, whichever loop each lands on: each is served.
        for _ in 0..<6 {
            let c = try TestClient(port: server.port)
            c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c.response()?.text == "ok\n")
            clients.append(c)
        }
        #expect(server.openConnections <= 6)
        // The stalled writers went first: each of them sees its connection closed.
        for c in clients.prefix(3) { #expect(c.closedByServer(within: 1)) }
    }

    /// A newcomer on a loop with nothing to evict is handed to a loop that can make room. The kernel gives a
    /// new connection to a loop waiting in epoll; with one loop busy in a slow answer, the newcomer lands
    /// on the other, which here holds nothing (the idle keep-alive to evict is on the busy loop whenever both
    /// earlier connections landed on one loop, as they do when the kernel wakes the same waiter first).
    @Test func aFullLoopHandsNewcomersToOneThatCanMakeRoom() throws {
        for _ in 0..<3 {
            let server = try Self.server { $0.maxConnections = 2; $0.maxConnectionsPerAddress = 0; $0.loops = 2 }
            defer { server.stop(); server.wait() }
            let idle = try TestClient(port: server.port)
            idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(idle.response()?.text == "ok\n")
            let slow = try TestClient(port: server.port)
            slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            usleep(50_000)
            let newcomer = try TestClient(port: server.port)
            newcomer.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let r = newcomer.response()
            #expect(r?.text == "ok\n", "\(r.map { "\($0.status) \($0.text)" } ?? "no answer")")
            #expect(slow.response()?.text == "slow\n")
            #expect(idle.closedByServer(within: 1))
        }
    }

    /// At the cap, a client with many connections churns its own: a newcomer from its address displaces
    /// its oldest, never the one connection of another client, however old that one is.
    @Test func aHeavyClientCannotPushOutALightOne() throws {
        let server = try Self.server { $0.maxConnections = 6; $0.maxConnectionsPerAddress = 0; $0.loops = 1 }
        defer { server.stop(); server.wait() }
        var heavy = try (0..<3).map { _ in try TestClient(port: server.port, source: "127.0.0.3") }
        let light = try TestClient(port: server.port)
        light.send("GET / HTTP/1.1\r\n") // half a head: the oldest but three, and evictable
        usleep(100_000)
        heavy += try (0..<2).map { _ in try TestClient(port: server.port, source: "127.0.0.3") }
        usleep(100_000)
        #expect(server.openConnections == 6)
        // Eight more from the heavy address: oldest-first alone would have evicted the light one by the fourth.
        for _ in 0..<8 {
            heavy.append(try TestClient(port: server.port, source: "127.0.0.3"))
            usleep(20_000)
        }
        light.send("Host: t\r\n\r\n")
        #expect(light.response()?.text == "ok\n")
        #expect(server.openConnections <= 6)
    }

    @Test func oneAddressCannotTakeEverySlot() throws {
        let server = try Self.server { $0.maxConnectionsPerAddress = 3; $0.loops = 1 }
        defer { server.stop(); server.wait() }
        let held = try (0..<3).map { _ in try TestClient(port: server.port) }
        usleep(100_000)
        let fourth = try TestClient(port: server.port)
        let refused = try #require(fourth.response())
        #expect(refused.status == 503 && refused.text.contains("from your address"))
        let other = try TestClient(port: server.port, source: "127.0.0.2")
        other.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(other.response()?.text == "ok\n")
        _ = held
    }

    /// A request already sent on an idle keep-alive connection when the stop begins is answered, not reset.
    @Test func aStopAnswersRequestsAlreadyReceived() throws {
        let server = try Self.server { $0.loops = 1 }
        let waiting = try TestClient(port: server.port)
        waiting.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(waiting.response()?.text == "ok\n")
        // Keep the loop busy for 300 ms; meanwhile the idle connection sends a request and the stop begins.
        let busy = try TestClient(port: server.port)
        busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(50_000)
        waiting.send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n")
        server.stop()
        let answer = waiting.response()
        #expect(answer?.status == 200 && answer?.headers["connection"] == "close")
        #expect(busy.response()?.text == "slow\n")
        server.wait()
    }

    @Test func theCacheKeepsTheMostRecentlyUsedWithinItsBytes() {
        func resource(_ size: Int) -> HTTPResource {
            HTTPResource(contentType: "application/octet-stream", body: [UInt8](repeating: 7, count: size), compress: false)
        }
        let one = resource(400_000)
        // Each entry costs its body, its heads and its key: three of 400 kB do not fit in 1 MB, two do.
        let cache = ResponseCache(capacity: 1_000_000)
        cache.put("a", one)
        cache.put("b", resource(400_000))
        #expect(cache.get("a") === one) // a is now the most recent
        cache.put("c", resource(400_000))
        #expect(cache.get("b") == nil && cache.get("a") === one && cache.get("c") != nil)
        #expect(cache.count == 2 && cache.bytes <= cache.capacity)
        // Too large for the budget: not kept, nothing evicted for it.
        cache.put("huge", resource(2_000_000))
        #expect(cache.get("huge") == nil && cache.count == 2)
        // Pinned answers are outside the budget and never evicted.
        cache.pin("/downloads/x", resource(5_000_000))
        for i in 0..<10 { cache.put("q\(i)", resource(300_000)) }
        #expect(cache.get("/downloads/x") != nil && cache.bytes <= cache.capacity)
    }

    @Test func byteRanges() {
        #expect(ByteRange.parse("bytes=0-15", length: 100) == .satisfiable(0..<16))
        #expect(ByteRange.parse("bytes=90-200", length: 100) == .satisfiable(90..<100))
        #expect(ByteRange.parse("bytes=-10", length: 100) == .satisfiable(90..<100))
        #expect(ByteRange.parse("bytes=-1000", length: 100) == .satisfiable(0..<100))
        #expect(ByteRange.parse("bytes=100-", length: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=-0", length: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=99999999999999999999999-", length: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=0-99999999999999999999999", length: 100) == .satisfiable(0..<100))
        for ignored in ["bytes=5-1", "bytes=0-1,5-6", "items=0-1", "bytes=a-b", "bytes=-", "bytes=1"] {
            #expect(ByteRange.parse(ignored, length: 100) == .ignored, "\(ignored)")
        }
    }

    @Test func httpDates() {
        // `date -u -d '1994-11-06 08:49:37' +%s` → 784111777 (RFC 9110's example date).
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        // `date -u -d '2026-12-01 05:09:44' +%s` → 1796101784.
        #expect(HTTPDate.parse("Tue, 01 Dec 2026 05:09:44 GMT") == 1_796_101_784)
        for bad in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 UTC", "", "Sun, 32 Nov 1994 08:49:37 GMT"] {
            #expect(HTTPDate.parse(bad) == nil, "\(bad)")
        }
    }
}
