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

    @Option(help: "Open connections allowed at once; at the cap the longest-idle one is closed to make room.")
    var maxConnections = 1024

    @Option(help: "The folder holding Templates/ and Public/ (default: found beside the executable or in the working directory).")
    var assets: String?

    @Flag(help: "Log one line per request to stderr.")
    var accessLog = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        if let threads, !(1...64).contains(threads) { throw ValidationError("--threads must be 1–64") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
    }

    func run() throws {
        // SIGINT and SIGTERM are blocked here, before any thread starts (threads inherit the mask), and
        // taken with sigwait on this thread below: then a signal can only mean "stop gracefully".
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        let started = Date()
        let (path, store) = try database.open()
        do {
            let style = ChartStyle(font: try ChartStyle.locateFont())
            let site = try Site(db: store, assets: try Assets.locate(explicit: assets), style: style)
            let responder = Responder(site: site, lastModified: try Self.lastModified(store))
            responder.warm()
            var config = HTTPServer.Configuration()
            config.host = host
            config.port = port
            if let threads { config.loops = threads }
            config.maxConnections = maxConnections
            var log: HTTPServer.Logger?
            if accessLog { log = { @Sendable line in Console.error(line) } }
            let server = try HTTPServer(config, logger: log) { request in responder.resource(for: request) }
            server.start()
            let synthetic = (try? store.isSynthetic()) == true
            Console.error("serving \(synthetic ? "the synthetic demo (\(path))" : path) at http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)/ (ready in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; Ctrl-C stops)")
            var received: Int32 = 0
            sigwait(&stopSignals, &received)
            Console.error("stopping (\(received == SIGINT ? "SIGINT" : "SIGTERM"))")
            server.stop()
            server.wait()
            Console.error("stopped")
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
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

/// Turns site answers into HTTP resources, built once per path and kept (the data never changes while
/// serving): bodies, SHA-256 ETags and gzip variants are computed on first request, or at start-up for
/// the main pages.
final class Responder: @unchecked Sendable {
    let site: Site
    let lastModified: String?
    private let lock = NSLock()
    private var cache: [String: HTTPResource] = [:]
    /// Cached answers to queries are bounded; the paths without a query are finite.
    private var queried = 0

    init(site: Site, lastModified: String?) {
        self.site = site
        self.lastModified = lastModified
    }

    /// The main pages and documents, built before the first request. The downloads page is left to its
    /// first request: it hashes every download (about 0.3 s for the release).
    func warm() {
        for path in ["/", "/models/", "/api/v1/models.json", "/api/v1/bases.json", "/api/v1/datasets.json", "/api/v1/benchmarks.json",
                     "/figures/", "/claims/", "/bases/", "/datasets/", "/benchmarks/", "/public/style.css", "/api/v1/openapi.json"] {
            _ = resource(path: path, query: [])
        }
    }

    func resource(for request: HTTPRequest) -> HTTPResource {
        resource(path: request.path, query: request.query)
    }

    func resource(path: String, query: [(name: String, value: String)]) -> HTTPResource {
        let key = query.isEmpty ? path : path + "?" + query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        if let hit = lock.withLock({ cache[key] }) { return hit }
        let answer = site.respond(path: path, query: query)
        var headers = answer.headers
        if let lastModified, answer.status == 200 { headers.append(("Last-Modified", lastModified)) }
        headers.append(("Cache-Control", answer.status == 200 ? "public, max-age=300" : "no-cache"))
        let etag = answer.status == 200 ? "\"" + SHA256.hex(of: answer.body).prefix(32) + "\"" : nil
        let resource = HTTPResource(status: answer.status, contentType: answer.contentType, body: answer.body, etag: etag, headers: headers)
        if answer.status == 200 {
            lock.withLock {
                if !query.isEmpty {
                    queried += 1
                    if queried > 2000 { cache = cache.filter { !$0.key.contains("?") }; queried = 0 }
                }
                cache[key] = resource
            }
        }
        return resource
    }
}
