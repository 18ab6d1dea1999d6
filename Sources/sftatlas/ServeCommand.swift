import AtlasCharts
import AtlasServer
import AtlasSite
import AtlasStore
import ArgumentParser
import Foundation

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the catalog, model pages, figures, downloads and API over HTTP (read-only)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on (127.0.0.1 keeps it local; 0.0.0.0 or :: listens everywhere).")
    var host = "127.0.0.1"

    @Option(help: "The TCP port (0 picks a free one and prints it).")
    var port = 8080

    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int?

    @Option(help: "Open connections allowed at once (lowered to fit the descriptor limit); at the cap a stalled or idle one is closed to make room.")
    var maxConnections = 1024

    @Option(help: "Open connections allowed from one client address (0: no limit). Raise it behind a reverse proxy.")
    var maxConnectionsPerAddress = 64

    @Option(help: "Seconds a connection may make no progress taking its answer before it is closed.")
    var sendTimeout = 10.0

    @Option(help: "Kilobytes of kernel send buffer per connection (SO_SNDBUF; 0 leaves the kernel's autotuning, up to 4 MB each).")
    var sendBufferKB = 128

    @Option(help: "Megabytes of built answers kept for reuse, least recently used out first (the main pages and downloads are kept apart, always).")
    var cacheMB = 32

    @Option(help: "The folder holding Templates/ and Public/ (default: found beside the executable or in the working directory).")
    var assets: String?

    @Flag(help: "Log one line per request to stderr.")
    var accessLog = false

    @Flag(help: "Let pages elsewhere read the API: JSON and CSV answers say Access-Control-Allow-Origin: * (off by default).")
    var cors = false

    @Option(help: "A PEM certificate chain: serve HTTPS (on --port, or on --tls-port beside plain HTTP). SIGHUP reloads it and the key.")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Serve HTTPS on this port as well, and plain HTTP on --port.")
    var tlsPort: Int?

    @Flag(help: "With --tls-port: plain HTTP answers every request with a 308 to its https:// address.")
    var redirectHttp = false

    @Flag(help: "Send Strict-Transport-Security (one year) on HTTPS answers.")
    var hsts = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsPort != nil || redirectHttp || hsts, tlsCert == nil { throw ValidationError("--tls-port, --redirect-http and --hsts need --tls-cert and --tls-key") }
        if let tlsPort, !(0...65535).contains(tlsPort) || (tlsPort == port && port != 0) { throw ValidationError("--tls-port must be 0–65535 and differ from --port") }
        if redirectHttp, tlsPort == nil { throw ValidationError("--redirect-http needs --tls-port (plain HTTP on --port redirects to it)") }
        if let threads, !(1...64).contains(threads) { throw ValidationError("--threads must be 1–64") }
        guard (1...1_000_000).contains(maxConnections) else { throw ValidationError("--max-connections must be 1–1000000") }
        guard (0...1_000_000).contains(maxConnectionsPerAddress) else { throw ValidationError("--max-connections-per-address must be 0–1000000") }
        guard sendTimeout.isFinite, (0.1...3600).contains(sendTimeout) else { throw ValidationError("--send-timeout must be 0.1–3600 seconds") }
        guard (0...65536).contains(sendBufferKB) else { throw ValidationError("--send-buffer-kb must be 0–65536") }
        guard (0...65536).contains(cacheMB) else { throw ValidationError("--cache-mb must be 0–65536") }
    }

    func run() throws {
        // SIGINT and SIGTERM are blocked here, before any thread starts (threads inherit the mask), and
        // taken with sigwait on this thread below: then a signal can only mean "stop gracefully".
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        let started = Date()
        let (path, store) = try database.open()
        do {
            let style = ChartStyle(font: try ChartStyle.locateFont())
            let site = try Site(db: store, assets: try Assets.locate(explicit: assets), style: style)
            let responder = Responder(site: site, lastModified: try Self.lastModified(store), cacheBytes: cacheMB << 20, cors: cors)
            responder.warm()
            var config = HTTPServer.Configuration()
            config.host = host
            config.port = port
            if let threads { config.loops = threads }
            config.maxConnections = maxConnections
            config.maxConnectionsPerAddress = maxConnectionsPerAddress
            config.sendTimeout = sendTimeout
            config.sendBuffer = sendBufferKB << 10
            var log: HTTPServer.Logger?
            if accessLog { log = { @Sendable line in Console.error(line) } }
            let tls = try tlsCert.map { try TLSConfig(certificate: $0, key: tlsKey!) }
            var tlsConfig = config
            tlsConfig.tls = tls
            if hsts { tlsConfig.extraHeaders = [("Strict-Transport-Security", "max-age=31536000")] }
            if let tlsPort { tlsConfig.port = tlsPort } else { config = tlsConfig }
            // Kept answers go out from the event loops; the rest are built on worker threads.
            func atlas(_ c: HTTPServer.Configuration) throws -> HTTPServer {
                try HTTPServer(c, logger: log, cached: { request in responder.cached(request) }) { request in responder.resource(for: request) }
            }
            var servers: [(HTTPServer, String)] = []
            // With --tls-port, the HTTPS server binds first, so that redirects name the port it got (--tls-port 0).
            let secure = tlsPort == nil ? nil : try atlas(tlsConfig)
            if let secure, redirectHttp {
                let port = secure.port
                servers.append((try HTTPServer(config, logger: log) { request in Self.redirect(request, host: self.host, port: port) }, "http"))
            } else {
                servers.append((try atlas(config), tls != nil && tlsPort == nil ? "https" : "http"))
            }
            if let secure { servers.append((secure, "https")) }
            for (server, _) in servers { server.start() }
            if let server = servers.first?.0, server.effectiveMaxConnections < maxConnections {
                Console.error("note: at most \(server.effectiveMaxConnections) connections, to fit the descriptor limit (ulimit -n)")
            }
            let synthetic = (try? store.isSynthetic()) == true
            let shown = host.contains(":") ? "[\(host)]" : host
            let addresses = servers.map { "\($0.1)://\(shown):\($0.0.port)/" + ($0.1 == "http" && redirectHttp ? " (redirecting to https)" : "") }.joined(separator: " and ")
            Console.error("serving \(synthetic ? "the synthetic demo (\(path))" : path) at \(addresses) (ready in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; Ctrl-C stops)")
            var received: Int32 = 0
            while true {
                sigwait(&stopSignals, &received)
                guard received == SIGHUP else { break }
                guard let tls else { Console.error("SIGHUP: no certificate to reload"); continue }
                do {
                    try tls.reload()
                    Console.error("SIGHUP: reloaded \(tls.certificateFile) and its key; new connections use them")
                } catch {
                    Console.error("SIGHUP: reload failed, keeping the previous certificate: \(error)")
                }
            }
            Console.error("stopping (\(received == SIGINT ? "SIGINT" : "SIGTERM"))")
            for (server, _) in servers { server.stop() }
            for (server, _) in servers { server.wait() }
            Console.error("stopped")
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// A 308 to the request's https:// address: its Host (when it is a plain host name or address) or the
    /// listening host, on the TLS port.
    static func redirect(_ request: HTTPRequest, host: String, port: Int) -> HTTPResource {
        var name = host == "0.0.0.0" || host == "::" ? "localhost" : host
        if let given = request.header("host"), !given.isEmpty, given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x2F && $0 != 0x40 && $0 != 0x5C }) {
            // Without its port: "[::1]:8080" → "[::1]", "example.org:80" → "example.org".
            if given.hasPrefix("["), let close = given.firstIndex(of: "]") { name = String(given[...close]) }
            else { name = String(given.split(separator: ":", omittingEmptySubsequences: false)[0]) }
        } else if name.contains(":") { name = "[\(name)]" }
        let location = "https://\(name)" + (port == 443 ? "" : ":\(port)") + (request.target.hasPrefix("/") ? request.target : "/")
        return HTTPResource(status: 308, contentType: "text/plain; charset=utf-8", text: "Moved to \(location)\n", headers: [("Location", location)])
    }

    /// The data's ingest time as an HTTP date.
    static func lastModified(_ store: AtlasDatabase) throws -> String? {
        guard let stamp = try store.provenance().first?.ingestedAt else { return nil }
        let parser = ISO8601DateFormatter()
        guard let date = parser.date(from: stamp) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
