import Foundation

/// Immutable bytes at a stable address, shareable between threads: response bodies are built once and
/// written by any event loop with `writev` straight from this memory.
public final class Bytes: @unchecked Sendable {
    public let count: Int
    let base: UnsafeMutableRawPointer
    /// For a slice: the bytes it points into, kept alive while the slice lives; nil when this owns `base`.
    private let parent: Bytes?

    public init(_ bytes: some Collection<UInt8>) {
        count = bytes.count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        base.copyMemory(from: Array(bytes), byteCount: count)
        parent = nil
    }

    public convenience init(_ string: String) { self.init(Array(string.utf8)) }

    private init(slicing parent: Bytes, range: Range<Int>) {
        self.parent = parent
        base = parent.base + range.lowerBound
        count = range.count
    }

    deinit { if parent == nil { base.deallocate() } }

    /// The bytes in `range` (which must lie within `0..<count`), sharing this memory rather than copying it.
    public func slice(_ range: Range<Int>) -> Bytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        return Bytes(slicing: self, range: range)
    }

    public var array: [UInt8] { Array(UnsafeRawBufferPointer(start: base, count: count)) }
    public var string: String { String(decoding: UnsafeRawBufferPointer(start: base, count: count), as: UTF8.self) }
}
