import CDeflate

/// DEFLATE compression with libdeflate, in the two containers the project writes: zlib (RFC 1950) inside
/// PNG files, and gzip (RFC 1952) for `Content-Encoding: gzip`. Deterministic: a gzip member carries no
/// file name and no time stamp.
public enum Deflate {
    public enum Container: Sendable { case zlib, gzip }

    /// `bytes` compressed at `level` (libdeflate's 0–12), or nil if libdeflate cannot allocate a compressor.
    public static func compress(_ bytes: UnsafeRawBufferPointer, into container: Container, level: Int32) -> [UInt8]? {
        guard let compressor = libdeflate_alloc_compressor(level) else { return nil }
        defer { libdeflate_free_compressor(compressor) }
        let bound = container == .zlib ? libdeflate_zlib_compress_bound(compressor, bytes.count)
                                       : libdeflate_gzip_compress_bound(compressor, bytes.count)
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            // 0 only when the output does not fit, which the bound rules out.
            initialized = container == .zlib
                ? libdeflate_zlib_compress(compressor, bytes.baseAddress, bytes.count, buffer.baseAddress, bound)
                : libdeflate_gzip_compress(compressor, bytes.baseAddress, bytes.count, buffer.baseAddress, bound)
        }
        return out.isEmpty && !bytes.isEmpty ? nil : out
    }

    /// The CRC-32 (ISO 3309, as PNG and gzip use it) of `bytes`.
    public static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        libdeflate_crc32(0, bytes.baseAddress, bytes.count)
    }
}
