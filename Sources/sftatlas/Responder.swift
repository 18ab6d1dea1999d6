import AtlasServer
import AtlasSite
import AtlasStore
import Foundation

/// Turns site answers into HTTP resources and keeps them (the data never changes while serving):
/// bodies, SHA-256 ETags and gzip variants are computed once. The main pages are built at start-up and
/// the downloads on first use, and both are kept for good; other answers share a byte budget, least
/// recently used out first.
final class Responder: @unchecked Sendable {
    let site: Site
    let lastModified: String?
    let cache: ResponseCache
    /// Whether JSON and CSV answers carry `Access-Control-Allow-Origin: *` (`serve --cors`).
    let cors: Bool

    /// What every HTML page may load: its own scripts, styles and images only. Style attributes are
    /// allowed (table cells are coloured by value); inline scripts and `<style>` elements are not.
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
        + "img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

    static let warmPaths = ["/", "/models/", "/api/v1/models.json", "/api/v1/bases.json", "/api/v1/datasets.json", "/api/v1/benchmarks.json",
                            "/figures/", "/claims/", "/bases/", "/datasets/", "/benchmarks/", "/public/style.css", "/api/v1/openapi.json"]

    init(site: Site, lastModified: String?, cacheBytes: Int, cors: Bool = false) {
        self.site = site
        self.lastModified = lastModified
        self.cors = cors
        cache = ResponseCache(capacity: cacheBytes)
    }

    /// The main pages and documents, built before the first request. The downloads page is left to its
    /// first request: it hashes every download (about 0.3 s for the release).
    func warm() {
        for path in Self.warmPaths {
            cache.pin(path, build(site.respond(path: path, query: [])))
        }
    }

    /// The answer if it is already built, without building anything.
    func cached(_ request: HTTPRequest) -> HTTPResource? {
        cache.get(key(path: request.path, query: request.query))
    }

    func resource(for request: HTTPRequest) -> HTTPResource {
        resource(path: request.path, query: request.query)
    }

    func resource(path: String, query: [(name: String, value: String)]) -> HTTPResource {
        // Without a query the server's decoded path is already one spelling: a cached hit reads no route.
        if query.isEmpty, let hit = cache.get(path) { return hit }
        let request: Request
        switch site.read(path: path, query: query) {
        case .success(let read): request = read
        case .failure: return build(site.respond(path: path, query: query)) // refused: not kept
        }
        let cacheKey = query.isEmpty ? path : Links().url(request)
        if let hit = cache.get(cacheKey) { return hit }
        let resource = build(site.respond(to: request))
        if resource.status == 200 {
            // (By the key, not the raw query: a download asked for with only a tracker's utm_source is the same
            // download, and is pinned like it.)
            if cacheKey == path && (path.hasPrefix("/downloads/") || Self.warmPaths.contains(path)) {
                cache.pin(cacheKey, resource)
            } else {
                cache.put(cacheKey, resource)
            }
        }
        return resource
    }

    /// The cache key: the request's canonical target (the link of the request it reads as), so that
    /// parameter order, repeated values and percent-encoding give one entry; a request that is refused
    /// keeps its own spelling (percent-encoded, so no two queries share a key), though such answers are not kept.
    func key(path: String, query: [(name: String, value: String)]) -> String {
        guard !query.isEmpty else { return path }
        return site.canonicalTarget(path: path, query: query) ?? path + Links.query(query.map { ($0.name, $0.value) })
    }

    private func build(_ answer: SiteResponse) -> HTTPResource {
        var headers = answer.headers
        if let lastModified, answer.status == 200 { headers.append(("Last-Modified", lastModified)) }
        headers.append(("Cache-Control", answer.status == 200 ? "public, max-age=300" : "no-cache"))
        if answer.contentType.hasPrefix("text/html") { headers.append(("Content-Security-Policy", Self.contentSecurityPolicy)) }
        if cors && (answer.contentType.hasPrefix("application/json") || answer.contentType.hasPrefix("text/csv")) {
            // As Datasette's --cors: any origin may read the data; ETag and Link are readable too.
            headers.append(("Access-Control-Allow-Origin", "*"))
            headers.append(("Access-Control-Expose-Headers", "ETag, Link"))
        }
        let etag = answer.status == 200 ? "\"" + SHA256.hex(of: answer.body).prefix(32) + "\"" : nil
        return HTTPResource(status: answer.status, contentType: answer.contentType, body: answer.body, etag: etag, headers: headers)
    }
}
