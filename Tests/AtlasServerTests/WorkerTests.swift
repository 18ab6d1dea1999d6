@testable import AtlasServer
import AtlasTestSupport
import Foundation
import Testing

/// Answers not ready at once are built on worker threads: a slow one holds up neither the loop's other
/// connections nor the order of answers on its own connection.
@Suite(.serialized) struct WorkerTests {
    static let ready = HTTPResource(contentType: "text/plain; charset=utf-8", text: "ready\n")

    static func server() throws -> HTTPServer {
        var c = HTTPServer.Configuration()
        c.port = 0
        c.loops = 1
        c.workers = 2
        let server = try HTTPServer(c, cached: { $0.path == "/ready" ? ready : nil }) { request in
            if request.path == "/slow" { usleep(600_000) }
            return HTTPResource(contentType: "text/plain; charset=utf-8", text: "built \(request.path)\n")
        }
        server.start()
        return server
    }

    @Test func aSlowAnswerDoesNotHoldUpReadyOnes() throws {
        let server = try Self.server()
        defer { server.stop(); server.wait() }
        let slow = try TestClient(port: server.port)
        slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(50_000)
        // On the one loop, while a worker builds /slow: the ready answer comes back long before it.
        let started = Date()
        let fast = try TestClient(port: server.port)
        fast.send("GET /ready HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(fast.response()?.text == "ready\n")
        #expect(Date().timeIntervalSince(started) < 0.3, "the ready answer waited for the slow one")
        #expect(slow.response()?.text == "built /slow\n")
    }

    @Test func pipelinedAnswersKeepTheirOrder() throws {
        let server = try Self.server()
        defer { server.stop(); server.wait() }
        let client = try TestClient(port: server.port)
        client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /ready HTTP/1.1\r\nHost: t\r\n\r\nGET /other HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(client.response()?.text == "built /slow\n")
        #expect(client.response()?.text == "ready\n")
        let last = client.response()
        #expect(last?.text == "built /other\n" && last?.headers["connection"] == "close")
        #expect(client.closedByServer(within: 2))
    }

    @Test func aClientGoneBeforeItsAnswerIsBuiltIsForgotten() throws {
        let server = try Self.server()
        defer { server.stop(); server.wait() }
        do {
            let gone = try TestClient(port: server.port)
            gone.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            usleep(50_000)
        } // closed here, while its answer is being built
        usleep(800_000)
        #expect(server.openConnections == 0)
        let next = try TestClient(port: server.port)
        next.send("GET /ready HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(next.response()?.text == "ready\n")
    }

    /// CPU seconds used so far by the server's event-loop threads (named "sftatlas-http"), from /proc.
    static func loopCPU() -> Double {
        var total = 0.0
        for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
            let base = "/proc/self/task/\(task)/"
            guard (try? String(contentsOfFile: base + "comm", encoding: .utf8))?.hasPrefix("sftatlas-http") == true,
                  let stat = try? String(contentsOfFile: base + "stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            total += (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) // utime, stime (proc(5) fields 14, 15)
        }
        return total / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A client that half-closes (or sends more) while its answer is built must not make the loop spin on
    /// a readable socket it does not read.
    @Test func aHalfClosedClientWaitingForItsAnswerDoesNotSpinTheLoop() throws {
        let server = try Self.server()
        defer { server.stop(); server.wait() }
        let client = try TestClient(port: server.port)
        client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n" + String(repeating: "GET /ready HTTP/1.1\r\nHost: t\r\n\r\n", count: 3))
        shutdown(client.fd, Int32(SHUT_WR))
        let before = Self.loopCPU()
        #expect(client.response()?.text == "built /slow\n")
        let spent = Self.loopCPU() - before
        #expect(spent < 0.2, "the loop used \(spent) CPU-seconds while the answer was built (600 ms)")
        // What was sent before the half-close is still answered, in order.
        for _ in 0..<3 { #expect(client.response()?.text == "ready\n") }
    }
}
