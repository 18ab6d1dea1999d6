import CEpoll
import CTLS
import Foundation
import Synchronization

/// One thread's epoll loop and the connections it owns (who is let in: `EventLoop+Admission.swift`; timeouts, stopping and closing: `EventLoop+Closing.swift`). Only its own thread touches its state, except
/// `wake()` and `adopt(fd:peer:tried:)`, which go through an eventfd and a locked inbox.
final class EventLoop: @unchecked Sendable {
    let epoll: Int32
    let wakeFD: Int32
    let listener: Int32
    let index: Int
    var connections: [Int32: Connection] = [:]
    var listening = true
    /// While set, the listener is out of this loop's epoll set (after the descriptor limit was hit).
    var acceptPausedUntil: UInt64?
    /// A descriptor held in reserve: closed to accept (and refuse) one client when the process runs out.
    var reserveFD: Int32
    var stopDeadline: UInt64?
    var clock = HTTPDate()
    /// Where `recv` writes before the bytes join a connection's input; one per loop, reused.
    var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    /// Connections handed over by a loop that could not make room for them.
    /// Once the loop has stopped, `closed` refuses what another loop would hand over (it would never be read).
    let inbox = Mutex<(items: [(fd: Int32, peer: String, tried: Int)], closed: Bool)>(([], false))
    /// Answers built on a worker, for connections of this loop.
    let renderedAnswers = Mutex<[(fd: Int32, serial: UInt64, request: HTTPRequest, resource: HTTPResource, started: UInt64)]>([])
    var nextSerial: UInt64 = 0

    /// Past this much queued output a connection's further pipelined requests wait (and it is not read).
    static let outputHighWater = 4 << 20
    /// How long accepting pauses after the process runs out of descriptors.
    static let acceptPause: UInt64 = 100_000_000

    init(listener: Int32, index: Int) throws {
        self.listener = listener
        self.index = index
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        reserveFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard epoll >= 0, wakeFD >= 0 else { throw ServerError.cannotListen("epoll: \(String(cString: strerror(errno)))") }
        try add(wakeFD, events: EPOLLIN.rawValue)
        try add(listener, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
    }

    deinit {
        close(epoll)
        close(wakeFD)
        if reserveFD >= 0 { close(reserveFD) }
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Takes a connection another loop could not make room for (called from that loop's thread); false
    /// once this loop has stopped.
    func adopt(fd: Int32, peer: String, tried: Int) -> Bool {
        let taken = inbox.withLock { box -> Bool in
            guard !box.closed else { return false }
            box.items.append((fd, peer, tried))
            return true
        }
        if taken { wake() }
        return taken
    }

    /// Takes an answer built on a worker (called from the worker's thread).
    func rendered(fd: Int32, serial: UInt64, request: HTTPRequest, resource: HTTPResource, started: UInt64) {
        renderedAnswers.withLock { $0.append((fd, serial, request, resource, started)) }
        wake()
    }

    func add(_ fd: Int32, events: UInt32) throws {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw ServerError.cannotListen("epoll_ctl: \(String(cString: strerror(errno)))")
        }
    }

    /// Changes what a connection waits for; false (and the connection is closed) if epoll refuses.
    @discardableResult
    func modify(_ c: Connection, events: UInt32, server: HTTPServer) -> Bool {
        guard c.interest != events else { return true }
        var event = epoll_event()
        event.events = events
        event.data.fd = c.fd
        guard epoll_ctl(epoll, EPOLL_CTL_MOD, c.fd, &event) == 0 else {
            closeConnection(c, server: server)
            return false
        }
        c.interest = events
        return true
    }

    func run(server: HTTPServer) {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastSweep = Monotonic.now
        while true {
            let timeout: Int32 = stopDeadline != nil || acceptPausedUntil != nil ? 50 : 1000
            let n = epoll_wait(epoll, &events, Int32(events.count), timeout)
            let now = Monotonic.now
            if n > 0 {
                for i in 0..<Int(n) {
                    let fd = events[i].data.fd
                    let flags = events[i].events
                    if fd == listener {
                        if listening && acceptPausedUntil == nil { accept(server: server, now: now) }
                    } else if fd == wakeFD {
                        var value: UInt64 = 0
                        _ = read(wakeFD, &value, 8)
                        takeInbox(server: server, now: now)
                        takeRendered(server: server, now: now)
                    } else if let c = connections[fd] {
                        if c.awaiting {
                            // Waiting for a worker, the connection is not read (its interest is empty); only a
                            // hang-up is reported, and then there is no one to answer.
                            if flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { closeConnection(c, server: server, how: .reset) }
                            continue
                        }
                        if flags & EPOLLIN.rawValue != 0 || flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
                            || (c.tlsReadWantsWrite && flags & EPOLLOUT.rawValue != 0) {
                            readable(c, server: server, now: now)
                        }
                        if connections[fd] === c, flags & EPOLLOUT.rawValue != 0 { flush(c, server: server, now: now) }
                    }
                }
            }
            if let until = acceptPausedUntil, now >= until, listening { resumeAccepting() }
            if server.stopping.load(ordering: .relaxed) && stopDeadline == nil { beginStop(server: server, now: now) }
            if now &- lastSweep >= 1_000_000_000 || stopDeadline != nil {
                sweep(server: server, now: now)
                lastSweep = now
            }
            if let deadline = stopDeadline, connections.isEmpty || now >= deadline {
                // A writer still stalled at the deadline is reset, so the kernel does not keep its buffers.
                for c in Array(connections.values) { closeConnection(c, server: server, how: c.outputBytes > 0 ? .reset : .plain) }
                inbox.withLock { $0.closed = true }
                takeInbox(server: server, now: now)
                return
            }
        }
    }

    func readable(_ c: Connection, server: HTTPServer, now: UInt64) {
        var peerClosed = false
        if let ssl = c.tls {
            switch readTLS(c, ssl, server: server, now: now) {
            case .gone: return
            case .closed: peerClosed = true
            case .open: break
            }
        }
        while c.tls == nil && c.input.count - c.consumed < 1 << 20 {
            let received = scratch.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
            if received > 0 {
                c.input.append(contentsOf: scratch[0..<received])
                if c.requestStarted == nil { c.requestStarted = now }
                c.lastActivity = now
                if received < scratch.count { break }
                continue
            }
            if received == 0 { peerClosed = true }
            else if errno == EINTR { continue }
            else if errno != EAGAIN && errno != EWOULDBLOCK { peerClosed = true }
            break
        }
        process(c, server: server, now: now)
        if peerClosed {
            // The client is gone (or half-closed): send what is queued, then close.
            c.closeAfterWrite = true
            c.input.removeAll()
            c.consumed = 0
        }
        flush(c, server: server, now: now)
    }

    enum TLSRead { case open, closed, gone }

    /// Reads what the TLS session yields (running the handshake as it goes). A connection whose first byte
    /// is not a TLS handshake record but a letter is a plain-HTTP request: it gets a 400 in plain text and
    /// is closed; a failed handshake or a malformed record closes the connection.
    private func readTLS(_ c: Connection, _ ssl: OpaquePointer, server: HTTPServer, now: UInt64) -> TLSRead {
        if !c.tlsSniffed {
            var first: UInt8 = 0
            let n = recv(c.fd, &first, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            if n == 0 { closeConnection(c, server: server); return .gone }
            if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .open : { closeConnection(c, server: server); return .gone }() }
            c.tlsSniffed = true
            if first != 0x16, (0x41...0x5A).contains(first) {
                let body = "This port speaks HTTPS: use an https:// address.\n"
                let answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
                _ = answer.withCString { send(c.fd, $0, strlen($0), Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                server.logger?("\(c.peer) plain HTTP on the TLS port: 400")
                closeConnection(c, server: server, how: .graceful) // frees the session (no handshake: no close_notify)
                return .gone
            }
        }
        while c.input.count - c.consumed < 1 << 20 {
            let outcome = scratch.withUnsafeMutableBytes { TLSIO.read(ssl, into: $0) }
            switch outcome {
            case .bytes(let n):
                c.input.append(contentsOf: scratch[0..<n])
                if c.requestStarted == nil { c.requestStarted = now }
                c.lastActivity = now
                continue
            case .wantRead:
                c.tlsReadWantsWrite = false
                return .open
            case .wantWrite:
                c.tlsReadWantsWrite = true
                return .open
            case .closed:
                return .closed
            case .failed:
                closeConnection(c, server: server, how: .reset)
                return .gone
            }
        }
        return .open
    }

    /// Parses and answers every complete request head in the input, in order (pipelining), until the
    /// queued output reaches `outputHighWater`. Returns whether it answered any.
    @discardableResult
    private func process(_ c: Connection, server: HTTPServer, now: UInt64) -> Bool {
        var answered = false
        while !c.closeAfterWrite && !c.awaiting && c.outputBytes < Self.outputHighWater {
            let result = c.input.withUnsafeBytes { raw in
                server.configuration.parser.parse(UnsafeRawBufferPointer(rebasing: raw[c.consumed...]))
            }
            switch result {
            case .incomplete:
                if c.consumed == c.input.count {
                    // (`requestStarted` stays as it is: nil after an answer, the connection's start before any.)
                    c.input.removeAll(keepingCapacity: c.input.capacity <= 64 * 1024)
                    c.consumed = 0
                } else if c.consumed > 0 {
                    c.input.removeFirst(c.consumed)
                    c.consumed = 0
                }
                return answered
            case .request(let request, let consumed):
                answered = true
                c.consumed += consumed
                c.requestStarted = nil
                let started = Monotonic.now
                if let cached = server.cached {
                    if let ready = cached(request) {
                        respond(c, to: request, with: ready, server: server, started: started, now: now)
                    } else if server.render(request, fd: c.fd, serial: c.serial, cancelled: c.cancelled, loop: index) {
                        // Answered when the worker is done; until then nothing more is read (later pipelined
                        // requests wait in the input), so a client cannot keep the loop busy meanwhile.
                        c.awaiting = true
                        modify(c, events: 0, server: server)
                        return answered
                    } else {
                        let busy = HTTPResource(status: 503, contentType: "text/plain; charset=utf-8", text: "The server is busy; try again.\n",
                                                headers: [("Retry-After", "1")])
                        respond(c, to: request, with: busy, server: server, started: started, now: now)
                    }
                } else {
                    respond(c, to: request, with: server.handler(request), server: server, started: started, now: now)
                }
            case .failure(let error):
                answered = true
                let resource = HTTPResource(status: error.status, contentType: "text/plain; charset=utf-8", text: error.message + "\n",
                                            headers: error == .methodNotAllowed ? [("Allow", "GET, HEAD")] : [])
                // The head could not be parsed, but a HEAD request still gets no body.
                let isHead = c.input[c.consumed...].starts(with: "HEAD ".utf8)
                let fake = HTTPRequest(method: isHead ? .head : .get, target: "", path: "/", query: [], headers: [], minorVersion: 1, keepAlive: false)
                let (head, body, _) = resource.response(to: fake)
                c.enqueue(head: head, date: clock.line(), connection: "close", body: body, now: now)
                c.closeAfterWrite = true
                server.logger?("\(c.peer) (unparsed request) \(error.status) \(error.message)")
            }
        }
        return answered
    }

    /// Queues the answer to one request, with `Connection: close` when the connection ends after it.
    private func respond(_ c: Connection, to request: HTTPRequest, with resource: HTTPResource, server: HTTPServer, started: UInt64, now: UInt64) {
        let (head, body, status) = resource.response(to: request)
        let closing = !request.keepAlive || server.stopping.load(ordering: .relaxed)
        // HTTP/1.0 keeps the connection only when told so (RFC 9112 §9.3).
        let connection = closing ? "close" : (request.minorVersion == 0 ? "keep-alive" : nil)
        c.enqueue(head: head, date: clock.line(), extra: server.extraHeaderBytes, connection: connection, body: body, now: now)
        if closing { c.closeAfterWrite = true }
        c.requestStarted = c.consumed < c.input.count ? now : nil
        if let log = server.logger {
            let ms = Double(Monotonic.now &- started) / 1e6
            log("\(c.peer) \"\(request.method.rawValue) \(request.target.prefix(2000)) HTTP/1.\(request.minorVersion)\" \(status) \(body?.count ?? 0) \(String(format: "%.2f", ms))ms")
        }
    }

    /// Sends the answers workers have built to their connections (if still open), then what follows them.
    private func takeRendered(server: HTTPServer, now: UInt64) {
        let answers = renderedAnswers.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for a in answers {
            guard let c = connections[a.fd], c.serial == a.serial, c.awaiting else { continue }
            c.awaiting = false
            respond(c, to: a.request, with: a.resource, server: server, started: a.started, now: now)
            flush(c, server: server, now: now)
        }
    }

    /// Writes what the socket takes; when the output drains below the high-water mark, answers the
    /// pipelined requests still waiting in the input, and writes again.
    private func flush(_ c: Connection, server: HTTPServer, now: UInt64) {
        while true {
            let result = c.write(now: now)
            if result == .failed { closeConnection(c, server: server); return }
            if !c.closeAfterWrite, c.outputBytes < Self.outputHighWater, c.hasUnparsedInput, process(c, server: server, now: now) {
                continue
            }
            if result == .done {
                if c.closeAfterWrite && !c.awaiting { closeConnection(c, server: server, how: .graceful); return }
                if c.awaiting { return } // interest stays empty until the worker's answer arrives
                // The idle timeout counts from the end of the last answer (not from this wake-up: TLS records that
                // carry no request, such as key updates, must not keep an idle connection open).
                c.lastActivity = max(c.lastActivity, c.lastWriteProgress)
                // Plaintext OpenSSL holds from a record already read raises no epoll event: read it now (it is
                // at most one record, so this goes one level deep).
                if let ssl = c.tls, !c.closeAfterWrite, c.input.count - c.consumed < 1 << 20, SSL_pending(ssl) > 0 { readable(c, server: server, now: now); return }
                modify(c, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue | (c.tlsReadWantsWrite ? EPOLLOUT.rawValue : 0), server: server)
            } else {
                // Stop reading while the client is not taking what it asked for (unless TLS needs its input
                // before it can write; then only reading helps).
                let reading = c.outputBytes < Self.outputHighWater && !c.closeAfterWrite && !c.awaiting
                if c.tlsWriteWantsRead {
                    modify(c, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue, server: server)
                } else {
                    modify(c, events: EPOLLOUT.rawValue | (reading ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0), server: server)
                }
            }
            return
        }
    }

}

enum Monotonic {
    static var now: UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
