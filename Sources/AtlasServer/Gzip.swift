import CDeflate

/// gzip (RFC 1952) compression with libdeflate, for `Content-Encoding: gzip`.
public enum Gzip {
    /// The gzip member for `bytes`, or nil if libdeflate fails. Deterministic: no file name, no time stamp.
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8]? {
        guard let compressor = libdeflate_alloc_compressor(level) else { return nil }
        defer { libdeflate_free_compressor(compressor) }
        let bound = libdeflate_gzip_compress_bound(compressor, bytes.count)
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            initialized = libdeflate_gzip_compress(compressor, bytes.baseAddress, bytes.count, buffer.baseAddress, bound)
        }
        return out.isEmpty ? nil : out
    }
}
