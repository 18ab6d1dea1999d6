import Foundation

/// A dictionary behind a lock, filled on demand and kept for the process's life.
final class LockedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    /// The value for `key`, made by `make` the first time. `make` runs outside the lock; two threads may
    /// both make the same value, which is harmless since it is deterministic.
    func value(for key: Key, make: () -> Value) -> Value {
        if let known = lock.withLock({ values[key] }) { return known }
        let made = make()
        lock.withLock { values[key] = made }
        return made
    }
}
