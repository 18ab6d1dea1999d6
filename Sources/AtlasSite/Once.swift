import Foundation

/// A value built on first use and then kept, for answers too slow to build at start-up.
final class Once<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    /// The value, built by `make` for the first caller while later ones wait.
    func get(_ make: () -> Value) -> Value {
        lock.withLock {
            if let value { return value }
            let made = make()
            value = made
            return made
        }
    }
}
