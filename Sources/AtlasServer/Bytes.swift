import Foundation

/// Immutable bytes at a stable address, shareable between threads: response bodies are built once and
/// written by any event loop with `writev` straight from this memory.
public final class Bytes: @unchecked Sendable {
    public let count: Int
    let base: UnsafeMutableRawPointer

    public init(_ bytes: some Collection<UInt8>) {
        count = bytes.count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        base.copyMemory(from: Array(bytes), byteCount: count)
    }

    public convenience init(_ string: String) { self.init(Array(string.utf8)) }

    deinit { base.deallocate() }

    public var array: [UInt8] { Array(UnsafeRawBufferPointer(start: base, count: count)) }
    public var string: String { String(decoding: UnsafeRawBufferPointer(start: base, count: count), as: UTF8.self) }
}
