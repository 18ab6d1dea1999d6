import CEpoll
import Foundation
import Synchronization

/// A small HTTP/1.1 server on POSIX sockets and epoll: GET and HEAD, keep-alive, pipelining, limits and
/// timeouts, graceful stop. It knows nothing of the site: `handler` maps a request to a resource.
///
/// Threads: `loops` event loops (one per core by default), each with its own epoll instance and its own
/// connections; all of them wait on the one listening socket with `EPOLLEXCLUSIVE`, so a new connection
/// wakes one loop. `cached` is called on the loop's thread and answers what is ready at once; anything
/// it does not answer goes to a pool of worker threads that call `handler`, and the connection waits for it
/// (its later pipelined requests are answered after it, in order). Without `cached`, the handler is called
/// on the loop's thread. Both must be thread-safe.
///
/// Admission: `maxConnections` counts connections across all loops, and `maxConnectionsPerAddress` those
/// from one client address. At the cap a loop closes its least useful connection (a stalled writer, then
/// one of the address holding the most, idle keep-alives before heads, oldest first), but never one of an
/// address holding fewer than the newcomer's; with none to spare it hands the new connection to another
/// loop, and only when no loop can make room is the client told 503.
public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port; read `port` after `start()`.
        public var port = 8080
        public var loops = max(1, ProcessInfo.processInfo.activeProcessorCount)
        /// Open connections across all loops. At the cap, the least useful connection is closed to make room
        /// (see the type's comment); if every connection is busy, the new one gets a 503 and is closed.
        /// Lowered at start-up to fit the process's descriptor limit (`effectiveMaxConnections`).
        public var maxConnections = 1024
        /// Open connections from one client address; 0 for no limit. Beyond it, a new connection gets a 503.
        public var maxConnectionsPerAddress = 64
        /// A connection whose queued answer makes no progress for this long (the client reads nothing) is closed.
        public var sendTimeout: Double = 10
        /// The kernel's send buffer per connection, in bytes (SO_SNDBUF; the kernel doubles it); 0 leaves the
        /// kernel's autotuning, which lets each connection that reads nothing hold up to 4 MB of kernel
        /// memory: a thousand of them exhausted the machine's TCP memory and stalled every other client.
        public var sendBuffer = 128 << 10
        /// A keep-alive connection with nothing in flight is closed after this long.
        public var idleTimeout: Double = 30
        /// A client has this long from connecting (or from its previous response) to finish sending a request head.
        public var headerTimeout: Double = 10
        /// How long a stop waits for in-flight responses before closing everything.
        public var stopGrace: Double = 1.5
        /// Threads that build uncached answers (used only with a `cached` handler).
        public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        /// Uncached requests waiting for a worker; beyond this a request gets 503.
        public var workQueue = 4096
        public var parser = HTTPParser()
        /// TLS on this server's port: every connection is HTTPS (see `TLSConfig`).
        public var tls: TLSConfig?
        /// Header lines added to every answer (`Strict-Transport-Security` on HTTPS with --hsts).
        public var extraHeaders: [(String, String)] = []
        public init() {}
    }

    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResource
    /// An answer that is ready now, or nil to have `handler` build it on a worker thread.
    public typealias CachedHandler = @Sendable (HTTPRequest) -> HTTPResource?
    /// One line per request, for an access log.
    public typealias Logger = @Sendable (String) -> Void

    let configuration: Configuration
    let handler: Handler
    let cached: CachedHandler?
    let pool: WorkerPool?
    let logger: Logger?
    /// `extraHeaders` as header lines.
    let extraHeaderBytes: [UInt8]
    private let listener: Int32
    public let port: Int
    private let loops: [EventLoop]
    private let finished = DispatchGroup()
    let stopping = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)
    private let listenerClosed = Atomic<Bool>(false)
    /// Open connections in all, and per client address.
    private let admission = Mutex<(total: Int, perAddress: [String: Int])>((0, [:]))
    /// The connection cap in force: `maxConnections`, lowered if the descriptor limit cannot hold it.
    public let effectiveMaxConnections: Int

    /// Binds and listens; nothing is served until `start()`.
    public init(_ configuration: Configuration, logger: Logger? = nil, cached: CachedHandler? = nil,
                handler: @escaping Handler) throws {
        try Self.validate(configuration)
        self.configuration = configuration
        self.handler = handler
        self.cached = cached
        self.logger = logger
        extraHeaderBytes = Array(configuration.extraHeaders.map { "\($0.0): \($0.1)\r\n" }.joined().utf8)
        effectiveMaxConnections = Self.fitDescriptorLimit(configuration.maxConnections, loops: configuration.loops)
        (listener, port) = try Self.listen(host: configuration.host, port: configuration.port)
        var loops: [EventLoop] = []
        for i in 0..<configuration.loops {
            loops.append(try EventLoop(listener: listener, index: i))
        }
        self.loops = loops
        // Last: nothing after it can fail, so its threads are never left behind by a failed init.
        pool = cached == nil ? nil : WorkerPool(threads: configuration.workers, capacity: configuration.workQueue)
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
                // Foundation's Thread.name does not reach the kernel on Linux: named here, for top -H and /proc.
                _ = cepoll_name_thread("sftatlas-http")
                loop.run(server: self)
                if running.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { closeListener() }
                finished.leave()
            }
            thread.start()
        }
    }

    /// Stops accepting, lets in-flight responses finish (at most `stopGrace` seconds), then closes everything.
    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        for loop in loops { loop.wake() }
    }

    /// Refuses settings that would trap or hang later (the command line checks them for users first).
    static func validate(_ c: Configuration) throws {
        func seconds(_ name: String, _ value: Double) throws {
            guard value.isFinite, value >= 0, value <= 86_400 else { throw ServerError.invalidConfiguration("\(name) must be 0–86400 seconds, not \(value)") }
        }
        try seconds("idleTimeout", c.idleTimeout)
        try seconds("headerTimeout", c.headerTimeout)
        try seconds("sendTimeout", c.sendTimeout)
        try seconds("stopGrace", c.stopGrace)
        for (name, value) in c.extraHeaders where name.isEmpty || (name + value).utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) || name.contains(":") {
            throw ServerError.invalidConfiguration("extra header '\(name)' has a control character or a colon in its name")
        }
        guard (1...64).contains(c.loops) else { throw ServerError.invalidConfiguration("loops must be 1–64") }
        guard (1...256).contains(c.workers) else { throw ServerError.invalidConfiguration("workers must be 1–256") }
        guard (1...10_000_000).contains(c.maxConnections) else { throw ServerError.invalidConfiguration("maxConnections must be 1–10000000") }
        guard (0...10_000_000).contains(c.maxConnectionsPerAddress) else { throw ServerError.invalidConfiguration("maxConnectionsPerAddress must be 0–10000000") }
        guard (0...(64 << 20)).contains(c.sendBuffer) else { throw ServerError.invalidConfiguration("sendBuffer must be 0–64 MiB") }
        guard (1...1_000_000).contains(c.workQueue) else { throw ServerError.invalidConfiguration("workQueue must be 1–1000000") }
    }

    /// Blocks until every loop has stopped.
    public func wait() {
        finished.wait()
        pool?.stop(threads: configuration.workers)
    }

    /// Builds `request`'s answer on a worker and hands it to loop `index` for the connection `serial`;
    /// false when the work queue is full.
    func render(_ request: HTTPRequest, fd: Int32, serial: UInt64, cancelled: Cancellation, loop index: Int) -> Bool {
        guard let pool else { return false }
        let loop = loops[index]
        return pool.submit { [handler] in
            // A client gone while its job waited: nothing to build (a flood of such jobs costs no rendering).
            if cancelled.isCancelled { return }
            let started = Monotonic.now
            let resource = handler(request)
            loop.rendered(fd: fd, serial: serial, request: request, resource: resource, started: started)
        }
    }

    enum Admission { case admitted, serverFull, addressFull }

    /// Counts a new connection from `peer` in, or says which limit it would break.
    func admit(_ peer: String) -> Admission {
        admission.withLock { state in
            if configuration.maxConnectionsPerAddress > 0, state.perAddress[peer, default: 0] >= configuration.maxConnectionsPerAddress {
                return .addressFull
            }
            guard state.total < effectiveMaxConnections else { return .serverFull }
            state.total += 1
            state.perAddress[peer, default: 0] += 1
            return .admitted
        }
    }

    /// Counts a closed connection out.
    func release(_ peer: String) {
        admission.withLock { state in
            state.total -= 1
            let left = state.perAddress[peer, default: 1] - 1
            state.perAddress[peer] = left > 0 ? left : nil
        }
    }

    /// Open connections per client address now (a copy; used only when the server is full).
    func connectionsByAddress() -> [String: Int] {
        admission.withLock { $0.perAddress }
    }

    /// Open connections now (for tests and the access log).
    public var openConnections: Int { admission.withLock { $0.total } }

    /// Gives a connection this loop could not make room for to the next loop that might; false when every
    /// other loop has been tried (`tried` counts the loops that refused it).
    func handOff(fd: Int32, peer: String, from index: Int, tried: Int) -> Bool {
        guard tried < loops.count, !stopping.load(ordering: .relaxed) else { return false }
        return loops[(index + 1) % loops.count].adopt(fd: fd, peer: peer, tried: tried)
    }

    /// The connection cap that the process's descriptor limit can hold: the soft limit is raised toward
    /// the hard one if needed, and the cap lowered to leave room for the database, files and epoll.
    static func fitDescriptorLimit(_ wanted: Int, loops: Int) -> Int {
        let reserve = 64 + 4 * loops
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return wanted }
        let needed = rlim_t(clamping: wanted + reserve)
        if limit.rlim_cur < needed && limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = min(needed, limit.rlim_max)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        let room = limit.rlim_cur == rlim_t.max ? wanted : Int(clamping: limit.rlim_cur) - reserve
        return max(1, min(wanted, room))
    }

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
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw ServerError.cannotListen("setsockopt(SO_REUSEADDR): \(why)")
        }
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
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw ServerError.cannotListen("getsockname: \(why)")
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
    case invalidConfiguration(String)
    public var description: String {
        switch self {
        case .cannotListen(let why), .invalidConfiguration(let why): return why
        }
    }
}
