import Synchronization

/// A value built on first use and then kept, for answers too slow to build at start-up.
final class Once<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    /// The value, built by `make` for the first caller while later ones wait.
    func get(_ make: () -> Value) -> Value {
        value.withLock { kept in
            if let kept { return kept }
            let made = make()
            kept = made
            return made
        }
    }
}
