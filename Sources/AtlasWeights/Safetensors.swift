import AtlasIngest
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What went wrong with a checkpoint, naming the file and, where there is one, the tensor.
public struct WeightsError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let tensor: String?
    public let message: String

    public init(file: String, tensor: String? = nil, message: String) {
        self.file = file
        self.tensor = tensor.map { IngestError.excerpt($0) }
        self.message = message
    }

    public var description: String { file + (tensor.map { ": tensor \($0)" } ?? "") + ": " + message }
}

/// The element types a checkpoint's weights may have.
public enum DType: String, Sendable, CaseIterable {
    case bf16 = "BF16", f16 = "F16", f32 = "F32"

    public var size: Int { self == .f32 ? 4 : 2 }
}

/// A safetensors file, memory-mapped read-only: an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range (relative to the end of the header), then the data.
/// Every range is checked at open: inside the file, the size its dtype and shape need, no two overlapping.
public final class SafetensorsFile: @unchecked Sendable {
    public struct Tensor: Sendable {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        public var count: Int
        /// Absolute byte offset in the file, and length.
        public var offset: Int
        public var bytes: Int
    }

    /// The largest header read: a header that claims more is refused before it is read.
    public static let maxHeaderBytes = 100_000_000

    public let path: String
    public let size: Int
    public let tensors: [Tensor]
    let mapping: UnsafeRawPointer?

    public init(path: String) throws {
        let name = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WeightsError(file: name, message: "cannot be opened: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw WeightsError(file: name, message: "is not a regular file") }
        size = Int(st.st_size)
        guard size >= 8 else {
            throw WeightsError(file: name, message: "is \(size) bytes; a safetensors file starts with an 8-byte header length (the file looks truncated)")
        }
        guard let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw WeightsError(file: name, message: "cannot be mapped: \(String(cString: strerror(errno)))")
        }
        mapping = UnsafeRawPointer(m)
        self.path = path
        do {
            tensors = try Self.header(UnsafeRawPointer(m), size: size, file: name)
        } catch {
            munmap(m, size)
            throw error
        }
        _ = madvise(m, size, MADV_SEQUENTIAL)
    }

    deinit {
        if let mapping { munmap(UnsafeMutableRawPointer(mutating: mapping), size) }
    }

    /// The data of a tensor.
    func data(_ t: Tensor) -> UnsafeRawPointer { mapping! + t.offset }

    private static func header(_ p: UnsafeRawPointer, size: Int, file: String) throws -> [Tensor] {
        let length = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        guard length <= UInt64(maxHeaderBytes) else {
            throw WeightsError(file: file, message: "the header length is \(length) bytes, above the 100 MB a header may have; expected a safetensors file")
        }
        guard 8 + Int(length) <= size else {
            throw WeightsError(file: file, message: "the header length is \(length) bytes, beyond the file's \(size) (the file looks truncated)")
        }
        let dataStart = 8 + Int(length), dataBytes = size - dataStart
        let bytes = Array(UnsafeRawBufferPointer(start: p + 8, count: Int(length)))
        let root: JSONNode
        do { root = try JSONDocument(bytes: bytes, file: file).root } catch {
            throw WeightsError(file: file, message: "the header is not valid JSON: \(error.message)" + (error.line.map { " (line \($0) of the header)" } ?? ""))
        }
        guard let members = root.object else { throw WeightsError(file: file, message: "the header is \(root.kind); expected a JSON object of tensors") }
        var out: [Tensor] = []
        out.reserveCapacity(members.count)
        for (name, value) in members where name != "__metadata__" {
            func fail(_ message: String) -> WeightsError { WeightsError(file: file, tensor: name, message: message) }
            guard value.object != nil else { throw fail("its entry is \(value.kind); expected an object with dtype, shape and data_offsets") }
            guard let d = value["dtype"]?.string else { throw fail("has no dtype string") }
            guard let dtype = DType(rawValue: d) else {
                throw fail("dtype \(IngestError.excerpt(d)) is not supported; expected BF16, F16 or F32")
            }
            guard let dims = value["shape"]?.array else { throw fail("has no shape array") }
            var shape: [Int] = [], count = 1
            for dim in dims {
                guard let x = dim.number, x >= 0, x == x.rounded(), x < 1e15 else { throw fail("its shape holds \(IngestError.excerpt("\(dim.number ?? .nan)")); expected whole numbers") }
                shape.append(Int(x))
                let (product, overflow) = count.multipliedReportingOverflow(by: Int(x))
                guard !overflow, product <= 1 << 50 else { throw fail("its shape \(shape) has too many elements") }
                count = product
            }
            guard let range = value["data_offsets"]?.array, range.count == 2, let b = range[0].number, let e = range[1].number,
                  b >= 0, e >= b, b == b.rounded(), e == e.rounded(), e < 1e16 else {
                throw fail("its data_offsets are not two whole numbers [begin, end] with begin ≤ end")
            }
            let begin = Int(b), end = Int(e)
            guard end <= dataBytes else {
                throw fail("its data_offsets [\(begin), \(end)] run beyond the \(dataBytes) bytes of data in the file (the file looks truncated)")
            }
            guard end - begin == count * dtype.size else {
                throw fail("its data_offsets span \(end - begin) bytes; \(dtype.rawValue) × shape \(shape) needs \(count * dtype.size)")
            }
            out.append(Tensor(name: name, dtype: dtype, shape: shape, count: count, offset: dataStart + begin, bytes: end - begin))
        }
        let sorted = out.sorted { $0.offset < $1.offset }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.offset < a.offset + a.bytes {
            throw WeightsError(file: file, tensor: b.name, message: "its data overlaps tensor \(IngestError.excerpt(a.name))'s")
        }
        return out
    }
}
