import CEpoll
import Foundation
import Synchronization

/// A small HTTP/1.1 server on POSIX sockets and epoll: GET and HEAD, keep-alive, pipelining, limits and
/// timeouts, graceful stop. It knows nothing of the site: `handler` maps a request to a resource.
///
/// Threads: `loops` event loops (one per core by default), each with its own epoll instance and its own
/// connections; all of them wait on the one listening socket with `EPOLLEXCLUSIVE`, so a new connection
/// wakes one loop. The handler is called on the loop's thread and must be thread-safe.
public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port; read `port` after `start()`.
        public var port = 8080
        public var loops = max(1, ProcessInfo.processInfo.activeProcessorCount)
        /// Open connections across all loops. At the cap, the longest-idle connection is closed to make room;
        /// if every connection is busy, the new one gets a 503 and is closed.
        public var maxConnections = 1024
        /// A keep-alive connection with nothing in flight is closed after this long.
        public var idleTimeout: Double = 30
        /// A client has this long from connecting (or from its previous response) to finish sending a request head.
        public var headerTimeout: Double = 10
        /// How long a stop waits for in-flight responses before closing everything.
        public var stopGrace: Double = 1.5
        public var parser = HTTPParser()
        public init() {}
    }

    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResource
    /// One line per request, for an access log.
    public typealias Logger = @Sendable (String) -> Void

    let configuration: Configuration
    let handler: Handler
    let logger: Logger?
    private let listener: Int32
    public let port: Int
    private let loops: [EventLoop]
    private let finished = DispatchGroup()
    let stopping = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)
    private let listenerClosed = Atomic<Bool>(false)

    /// Binds and listens; nothing is served until `start()`.
    public init(_ configuration: Configuration, logger: Logger? = nil, handler: @escaping Handler) throws {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        (listener, port) = try Self.listen(host: configuration.host, port: configuration.port)
        let perLoop = max(1, configuration.maxConnections / configuration.loops)
        var loops: [EventLoop] = []
        for _ in 0..<configuration.loops {
            loops.append(try EventLoop(listener: listener, capacity: perLoop))
        }
        self.loops = loops
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { closeListener() }

    /// Once: the listening socket closes when the last loop stops, so new connections are refused.
    private func closeListener() {
        if !listenerClosed.exchange(true, ordering: .sequentiallyConsistent) { close(listener) }
    }

    /// Starts the event loops on their own threads and returns.
    public func start() {
        running.store(loops.count, ordering: .sequentiallyConsistent)
        for loop in loops {
            finished.enter()
            let thread = Thread { [self] in
                loop.run(server: self)
                if running.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { closeListener() }
                finished.leave()
            }
            thread.name = "sftatlas-http"
            thread.start()
        }
    }

    /// Stops accepting, lets in-flight responses finish (at most `stopGrace` seconds), then closes everything.
    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        for loop in loops { loop.wake() }
    }

    /// Blocks until every loop has stopped.
    public func wait() { finished.wait() }

    private static func listen(host: String, port: Int) throws -> (Int32, Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ServerError.cannotListen("cannot resolve '\(host)': \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ServerError.cannotListen("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw ServerError.cannotListen("cannot listen on \(host):\(port): \(why)")
        }
        guard Glibc.listen(fd, 1024) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw ServerError.cannotListen("listen: \(why)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let family = storage.ss_family
        let bound: UInt16 = withUnsafePointer(to: &storage) { p in
            if family == sa_family_t(AF_INET6) {
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        return (fd, Int(bound))
    }
}

public enum ServerError: Error, CustomStringConvertible {
    case cannotListen(String)
    public var description: String {
        switch self {
        case .cannotListen(let why): return why
        }
    }
}
