import CEpoll
import Foundation

/// One thread's epoll loop and the connections it owns. Only its own thread touches its state, except
/// `wake()`, which writes to an eventfd.
final class EventLoop: @unchecked Sendable {
    private let epoll: Int32
    private let wakeFD: Int32
    private let listener: Int32
    private let capacity: Int
    private var connections: [Int32: Connection] = [:]
    private var listening = true
    private var stopDeadline: UInt64?
    private var clock = HTTPDate()
    /// Where `recv` writes before the bytes join a connection's input; one per loop, reused.
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    init(listener: Int32, capacity: Int) throws {
        self.listener = listener
        self.capacity = capacity
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard epoll >= 0, wakeFD >= 0 else { throw ServerError.cannotListen("epoll: \(String(cString: strerror(errno)))") }
        try add(wakeFD, events: EPOLLIN.rawValue)
        try add(listener, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
    }

    deinit {
        close(epoll)
        close(wakeFD)
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private func add(_ fd: Int32, events: UInt32) throws {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw ServerError.cannotListen("epoll_ctl: \(String(cString: strerror(errno)))")
        }
    }

    private func modify(_ c: Connection, events: UInt32) {
        guard c.interest != events else { return }
        var event = epoll_event()
        event.events = events
        event.data.fd = c.fd
        epoll_ctl(epoll, EPOLL_CTL_MOD, c.fd, &event)
        c.interest = events
    }

    func run(server: HTTPServer) {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastSweep = Monotonic.now
        while true {
            let timeout: Int32 = stopDeadline == nil ? 1000 : 50
            let n = epoll_wait(epoll, &events, Int32(events.count), timeout)
            let now = Monotonic.now
            if n > 0 {
                for i in 0..<Int(n) {
                    let fd = events[i].data.fd
                    let flags = events[i].events
                    if fd == listener {
                        if listening { accept(server: server, now: now) }
                    } else if fd == wakeFD {
                        var value: UInt64 = 0
                        _ = read(wakeFD, &value, 8)
                    } else if let c = connections[fd] {
                        if flags & EPOLLIN.rawValue != 0 || flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                            readable(c, server: server, now: now)
                        }
                        if connections[fd] != nil, flags & EPOLLOUT.rawValue != 0 { flush(c) }
                    }
                }
            }
            if server.stopping.load(ordering: .relaxed) && stopDeadline == nil { beginStop(server: server, now: now) }
            if now &- lastSweep >= 1_000_000_000 || stopDeadline != nil {
                sweep(server: server, now: now)
                lastSweep = now
            }
            if let deadline = stopDeadline, connections.isEmpty || now >= deadline {
                for c in Array(connections.values) { closeConnection(c) }
                return
            }
        }
    }

    private func accept(server: HTTPServer, now: UInt64) {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            guard fd >= 0 else { return } // EAGAIN: another loop took it, or the queue is empty
            if connections.count >= capacity && !evictIdle() {
                let refusal = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 33\r\nConnection: close\r\nRetry-After: 1\r\n\r\nToo many connections; try again.\n"
                _ = refusal.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(fd)
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let c = Connection(fd: fd, peer: Self.describe(storage), now: now)
            var event = epoll_event()
            event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
            event.data.fd = fd
            guard epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0 else { close(fd); continue }
            c.interest = event.events
            connections[fd] = c
        }
    }

    /// Closes the connection idle longest (nothing in flight); false if every connection is busy.
    private func evictIdle() -> Bool {
        guard let victim = connections.values.filter({ $0.isIdle }).min(by: { $0.lastActivity < $1.lastActivity }) else { return false }
        closeConnection(victim)
        return true
    }

    private func readable(_ c: Connection, server: HTTPServer, now: UInt64) {
        var peerClosed = false
        while c.input.count - c.consumed < 1 << 20 {
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
        flush(c)
    }

    /// Parses and answers every complete request head in the input, in order (pipelining).
    private func process(_ c: Connection, server: HTTPServer, now: UInt64) {
        while !c.closeAfterWrite && c.outputBytes < 4 << 20 {
            let result = c.input.withUnsafeBytes { raw in
                server.configuration.parser.parse(UnsafeRawBufferPointer(rebasing: raw[c.consumed...]))
            }
            switch result {
            case .incomplete:
                if c.consumed == c.input.count {
                    c.input.removeAll(keepingCapacity: c.input.capacity <= 64 * 1024)
                    c.consumed = 0
                    c.requestStarted = nil
                } else if c.consumed > 0 {
                    c.input.removeFirst(c.consumed)
                    c.consumed = 0
                }
                return
            case .request(let request, let consumed):
                c.consumed += consumed
                let started = Monotonic.now
                let resource = server.handler(request)
                let (head, body, status) = resource.response(to: request)
                c.enqueue(head: head, date: clock.line(), close: !request.keepAlive || server.stopping.load(ordering: .relaxed), body: body)
                if !request.keepAlive || server.stopping.load(ordering: .relaxed) { c.closeAfterWrite = true }
                c.requestStarted = c.consumed < c.input.count ? now : nil
                if let log = server.logger {
                    let ms = Double(Monotonic.now &- started) / 1e6
                    log("\(c.peer) \"\(request.method.rawValue) \(request.target.prefix(2000)) HTTP/1.\(request.minorVersion)\" \(status) \(body?.count ?? 0) \(String(format: "%.2f", ms))ms")
                }
            case .failure(let error):
                let resource = HTTPResource(status: error.status, contentType: "text/plain; charset=utf-8", text: error.message + "\n",
                                            headers: error == .methodNotAllowed ? [("Allow", "GET, HEAD")] : [])
                let fake = HTTPRequest(method: .get, target: "", path: "/", query: [], headers: [], minorVersion: 1, keepAlive: false)
                let (head, body, _) = resource.response(to: fake)
                c.enqueue(head: head, date: clock.line(), close: true, body: body)
                c.closeAfterWrite = true
                server.logger?("\(c.peer) (unparsed request) \(error.status) \(error.message)")
            }
        }
    }

    private func flush(_ c: Connection) {
        switch c.write() {
        case .done:
            if c.closeAfterWrite { closeConnection(c); return }
            modify(c, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
        case .blocked:
            // Stop reading while the client is not taking what it asked for.
            let reading = c.outputBytes < 4 << 20 && !c.closeAfterWrite
            modify(c, events: EPOLLOUT.rawValue | (reading ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0))
        case .failed:
            closeConnection(c)
        }
    }

    private func sweep(server: HTTPServer, now: UInt64) {
        let idle = UInt64(server.configuration.idleTimeout * 1e9)
        let headers = UInt64(server.configuration.headerTimeout * 1e9)
        for c in Array(connections.values) {
            if let started = c.requestStarted, c.outputBytes == 0, now &- started > headers {
                c.timedOut = true
                closeConnection(c)
            } else if c.requestStarted == nil, c.isIdle, now &- c.lastActivity > idle {
                closeConnection(c)
            } else if stopDeadline != nil, c.isIdle {
                closeConnection(c)
            }
        }
    }

    private func beginStop(server: HTTPServer, now: UInt64) {
        stopDeadline = now &+ UInt64(server.configuration.stopGrace * 1e9)
        listening = false
        epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nil)
        for c in Array(connections.values) {
            if c.isIdle { closeConnection(c) } else { c.closeAfterWrite = c.outputBytes > 0 || c.closeAfterWrite }
        }
    }

    private func closeConnection(_ c: Connection) {
        epoll_ctl(epoll, EPOLL_CTL_DEL, c.fd, nil)
        close(c.fd)
        connections[c.fd] = nil
    }

    private static func describe(_ storage: sockaddr_storage) -> String {
        var s = storage
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let length = socklen_t(s.ss_family == sa_family_t(AF_INET6) ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafePointer(to: &s) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
            }
        }
        return ok == 0 ? String(cString: host) : "?"
    }
}

enum Monotonic {
    static var now: UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// The `Date:` header line, formatted once per second.
struct HTTPDate {
    private var second = -1
    private var cached: [UInt8] = []

    mutating func line() -> [UInt8] {
        var now = time(nil)
        if Int(now) == second { return cached }
        second = Int(now)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &parts)
        cached = buffer.prefix(n).map { UInt8(bitPattern: $0) }
        return cached
    }
}
