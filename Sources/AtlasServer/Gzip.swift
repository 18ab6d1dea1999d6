import AtlasDeflate

/// gzip (RFC 1952) compression, for `Content-Encoding: gzip`.
public enum Gzip {
    /// The gzip member for `bytes`, or nil if compression fails. Deterministic: no file name, no time stamp.
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8]? {
        Deflate.compress(bytes, into: .gzip, level: level)
    }
}
