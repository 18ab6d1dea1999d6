import CEpoll
import Foundation
import Synchronization

/// Accepting connections and deciding who is let in: the connection caps, eviction, hand-off between
/// loops, refusals, and backing off at the descriptor limit.
extension EventLoop {
    func accept(server: HTTPServer, now: UInt64) {
        // Bounded, so one loop cannot be kept here by a flood while its connections wait.
        for _ in 0..<256 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if fd < 0 {
                switch errno {
                case EAGAIN, EWOULDBLOCK: return // another loop took it, or the queue is empty
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE:
                    shedOne()
                    pauseAccepting(now: now)
                    return
                default: // ENOBUFS, ENOMEM and the like: wait a moment rather than spin
                    pauseAccepting(now: now)
                    return
                }
            }
            admit(fd: fd, peer: Self.describe(storage), tried: 0, server: server, now: now)
        }
    }

    /// Out of descriptors: the reserve one makes room to accept the next waiting client and refuse it.
    func shedOne() {
        guard reserveFD >= 0 else { return }
        close(reserveFD)
        let fd = accept4(listener, nil, nil, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        if fd >= 0 { refuse(fd, because: "Too many connections; try again.") }
        reserveFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    /// Takes the listener out of this loop's epoll set for `acceptPause`, so a full descriptor table
    /// does not make epoll report it ready again at once (a busy loop).
    func pauseAccepting(now: UInt64) {
        guard acceptPausedUntil == nil else { return }
        if epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nil) == 0 { acceptPausedUntil = now &+ Self.acceptPause }
    }

    func resumeAccepting() {
        if reserveFD < 0 { reserveFD = open("/dev/null", O_RDONLY | O_CLOEXEC) } // taken by another thread last time
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue
        event.data.fd = listener
        if epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event) == 0 || errno == EEXIST {
            acceptPausedUntil = nil
        } else {
            acceptPausedUntil = Monotonic.now &+ Self.acceptPause // try again shortly
        }
    }

    func takeInbox(server: HTTPServer, now: UInt64) {
        let waiting = inbox.withLock { box in
            defer { box.items.removeAll() }
            return box.items
        }
        for item in waiting {
            if stopDeadline != nil { refuse(item.fd, because: "The server is stopping."); continue }
            admit(fd: item.fd, peer: item.peer, tried: item.tried, server: server, now: now)
        }
    }

    /// Counts a new connection in and starts reading it, making room if the server is full.
    func admit(fd: Int32, peer: String, tried: Int, server: HTTPServer, now: UInt64) {
        var decision = server.admit(peer)
        if decision == .serverFull, evictOne(for: peer, server: server, now: now) { decision = server.admit(peer) }
        switch decision {
        case .admitted:
            break
        case .addressFull:
            refuse(fd, because: "Too many connections from your address; try again.")
            return
        case .serverFull:
            if !server.handOff(fd: fd, peer: peer, from: index, tried: tried + 1) {
                refuse(fd, because: "Too many connections; try again.")
            }
            return
        }
        var one: Int32 = 1
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        event.data.fd = fd
        var sendBuffer = Int32(clamping: server.configuration.sendBuffer)
        guard setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0,
              sendBuffer == 0 || setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sendBuffer, socklen_t(MemoryLayout<Int32>.size)) == 0,
              epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0 else {
            close(fd)
            server.release(peer)
            return
        }
        nextSerial &+= 1
        let c = Connection(fd: fd, serial: nextSerial, peer: peer, now: now)
        if let tls = server.configuration.tls {
            guard let session = tls.session(fd: fd) else {
                epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
                close(fd)
                server.release(peer)
                return
            }
            c.tls = session
        }
        c.interest = event.events
        connections[fd] = c
    }

    /// A 503 on a connection that will not be served, then closed.
    func refuse(_ fd: Int32, because reason: String) {
        let body = reason + "\n"
        let refusal = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\nRetry-After: 1\r\n\r\n" + body
        _ = refusal.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        close(fd)
    }

    /// Closes the connection that matters least, to make room for one from `newcomer`; false if none may go.
    ///
    /// A newcomer may displace a connection of its own address, or of an address holding more connections
    /// than its own: so a client with many connections (from one or many addresses) churns its own, and
    /// cannot push out a client with few. Among those: stalled writers first, then the address holding the
    /// most, then idle keep-alives before heads, oldest first (see `Connection.evictionRank`).
    func evictOne(for newcomer: String, server: HTTPServer, now: UInt64) -> Bool {
        let counts = server.connectionsByAddress()
        let own = counts[newcomer, default: 0]
        var victim: Connection?
        var best: (stalled: Bool, weight: Int, tier: Int, since: UInt64)?
        for c in connections.values {
            guard let rank = c.evictionRank(now: now) else { continue }
            let weight = counts[c.peer, default: 0]
            guard c.peer == newcomer || weight > own else { continue }
            let key = (stalled: rank.tier == 0, weight: weight, tier: rank.tier, since: rank.since)
            if let b = best {
                let better = key.stalled != b.stalled ? key.stalled
                    : key.weight != b.weight ? key.weight > b.weight
                    : key.tier != b.tier ? key.tier < b.tier : key.since < b.since
                if !better { continue }
            }
            best = key
            victim = c
        }
        guard let victim, let best else { return false }
        // An idle keep-alive is a client in good standing: closed politely. A stalled writer or a silent
        // head is reset, so the kernel frees its buffers now rather than keep retrying to deliver them.
        closeConnection(victim, server: server, how: best.tier == 1 ? .graceful : .reset)
        return true
    }

    static func describe(_ storage: sockaddr_storage) -> String {
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
