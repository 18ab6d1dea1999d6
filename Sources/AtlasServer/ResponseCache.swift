import Foundation

/// Built answers kept for reuse, bounded in bytes, least recently used first out. Thread-safe.
///
/// `pin` keeps an answer outside the budget for the server's lifetime: for the finite set of main pages
/// and the downloads, which must exist as one copy rather than be rebuilt (and duplicated) on demand.
public final class ResponseCache: @unchecked Sendable {
    private struct Entry {
        var resource: HTTPResource
        var cost: Int
        var older: String?
        var newer: String?
    }

    /// The budget for unpinned answers, in bytes of body, gzip variant and heads.
    public let capacity: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var pinned: [String: HTTPResource] = [:]
    private var oldest: String?
    private var newest: String?
    private var used = 0
    /// Bytes held by unpinned answers now.
    public var bytes: Int { lock.withLock { used } }

    public init(capacity: Int) { self.capacity = capacity }

    public func get(_ key: String) -> HTTPResource? {
        lock.withLock {
            if let p = pinned[key] { return p }
            guard let e = entries[key] else { return nil }
            unlink(key)
            link(key, e)
            return e.resource
        }
    }

    /// Keeps `resource` under `key`, evicting the least recently used answers to stay within `capacity`.
    /// An answer larger than the whole budget is not kept.
    public func put(_ key: String, _ resource: HTTPResource) {
        let cost = resource.cost + key.utf8.count
        lock.withLock {
            guard pinned[key] == nil, cost <= capacity else { return }
            if entries[key] != nil { remove(key) }
            while used + cost > capacity, let victim = oldest { remove(victim) }
            link(key, Entry(resource: resource, cost: cost))
            used += cost
        }
    }

    public func pin(_ key: String, _ resource: HTTPResource) {
        lock.withLock {
            if entries[key] != nil { remove(key) }
            pinned[key] = resource
        }
    }

    /// How many unpinned answers are kept.
    public var count: Int { lock.withLock { entries.count } }

    private func remove(_ key: String) {
        guard let e = entries[key] else { return }
        unlink(key)
        entries[key] = nil
        used -= e.cost
    }

    /// Puts `key` at the newest end.
    private func link(_ key: String, _ entry: Entry) {
        var e = entry
        e.older = newest
        e.newer = nil
        if let n = newest { entries[n]?.newer = key }
        newest = key
        if oldest == nil { oldest = key }
        entries[key] = e
    }

    /// Takes `key` out of the recency list (it stays in `entries`).
    private func unlink(_ key: String) {
        guard let e = entries[key] else { return }
        if let o = e.older { entries[o]?.newer = e.newer } else { oldest = e.newer }
        if let n = e.newer { entries[n]?.older = e.older } else { newest = e.older }
    }
}

extension HTTPResource {
    /// Bytes this answer holds: body, gzip variant and pre-encoded heads.
    public var cost: Int { body.count + (gzipBody?.count ?? 0) + headBytes }
}
