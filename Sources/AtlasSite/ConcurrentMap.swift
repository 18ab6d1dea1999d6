import Foundation

/// `body(0..<count)` on every core, results in index order.
enum ConcurrentMap {
    static func run<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { results.set($0, body($0)) }
        return results.values.map { $0! }
    }
}

/// One slot per index, filled by worker threads (each slot by one of them), read when all are done.
final class Slots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T?]
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.withLock { storage[i] = value } }
    var values: [T?] { lock.withLock { storage } }
}

/// Hands out the indices below a limit, once each, to worker threads.
final class IndexCounter: @unchecked Sendable {
    private var value = 0
    private let limit: Int
    private let lock = NSLock()
    init(limit: Int) { self.limit = limit }
    func take() -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
    /// Hands out nothing more.
    func stop() { lock.withLock { value = limit } }
}
