import CEpoll
import CTLS
import Foundation

/// Timeouts, the graceful stop, and the ways a connection is closed.
extension EventLoop {
    func sweep(server: HTTPServer, now: UInt64) {
        let idle = UInt64(server.configuration.idleTimeout * 1e9)
        let headers = UInt64(server.configuration.headerTimeout * 1e9)
        let send = UInt64(server.configuration.sendTimeout * 1e9)
        for c in Array(connections.values) {
            if c.awaiting { continue } // its answer is being built: no timeout is the client's
            if c.outputBytes > 0 {
                if now &- c.lastWriteProgress > send { closeConnection(c, server: server, how: .reset) }
            } else if let started = c.requestStarted {
                if now &- started > headers { closeConnection(c, server: server, how: .reset) }
            } else if c.isIdle, now &- c.lastActivity > idle || stopDeadline != nil {
                closeConnection(c, server: server, how: .graceful)
            }
        }
    }

    /// Stops accepting; answers what each connection has already sent (with `Connection: close`),
    /// and closes the connections that have nothing in flight.
    func beginStop(server: HTTPServer, now: UInt64) {
        stopDeadline = now &+ UInt64(server.configuration.stopGrace * 1e9)
        listening = false
        if acceptPausedUntil == nil { epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nil) }
        acceptPausedUntil = nil
        for c in Array(connections.values) where !c.awaiting {
            // Requests already received but not yet read are answered, not reset.
            readable(c, server: server, now: now)
            guard connections[c.fd] === c else { continue }
            if c.isIdle && c.requestStarted == nil { closeConnection(c, server: server, how: .graceful) }
        }
    }

    enum Closing {
        /// Just close: what is queued is still delivered by the kernel.
        case plain
        /// First read and drop what the client has sent, so that closing with unread input does not make
        /// the kernel reset the connection (and lose the last answer).
        case graceful
        /// Reset at once (SO_LINGER 0): the kernel drops what is queued instead of retrying it for minutes.
        case reset
    }

    /// Closes and forgets a connection.
    func closeConnection(_ c: Connection, server: HTTPServer, how: Closing = .plain) {
        if let ssl = c.tls {
            // A close_notify first (while the socket can still send it), unless resetting; never waits for the
            // peer's.
            if SSL_is_init_finished(ssl) == 1 {
                ERR_clear_error()
                if how != .reset { _ = SSL_shutdown(ssl) }
                // A session that completed its handshake stays resumable however the socket ends (OpenSSL
                // drops one freed without a shutdown from its cache; a fatal alert still drops it).
                SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN)
            }
            SSL_free(ssl)
            ERR_clear_error()
            c.tls = nil
        }
        switch how {
        case .plain:
            break
        case .graceful:
            _ = shutdown(c.fd, Int32(SHUT_WR))
            for _ in 0..<4 {
                let n = scratch.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if n <= 0 { break }
            }
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size)) // at worst, a plain close
        }
        c.cancelled.cancel()
        epoll_ctl(epoll, EPOLL_CTL_DEL, c.fd, nil) // cannot fail for a registered descriptor; close removes it anyway
        close(c.fd)
        connections[c.fd] = nil
        server.release(c.peer)
    }
}
