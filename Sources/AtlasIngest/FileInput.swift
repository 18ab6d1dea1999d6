import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole input file, turning every way it can fail into an `IngestError` that names the path.
///
/// Only a regular file is read (a FIFO would block, a device could be endless), and only up to
/// `maxBytes`: the file is opened without blocking, checked with `fstat`, and read to its size.
public enum FileInput {
    public static func read(_ path: String, maxBytes: Int) throws(IngestError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw IngestError(file: path, message: "cannot be read: \(String(cString: strerror(errno))); expected a readable file")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw IngestError(file: path, message: "cannot be read: \(String(cString: strerror(errno))); expected a readable file")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw IngestError(file: path, message: "is a directory; expected a CSV file")
        default: throw IngestError(file: path, message: "is not a regular file (a pipe, device or socket); expected a CSV file")
        }
        guard info.st_size <= maxBytes else {
            throw IngestError(file: path, message: "is \(info.st_size) bytes; expected at most \(maxBytes) (raise the limit with --max-bytes)")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(max(info.st_size, 0)))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError(file: path, message: "cannot be read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            // The file may grow while it is read: the limit holds for what is read, not just for fstat's size.
            guard bytes.count + n <= maxBytes else {
                throw IngestError(file: path, message: "grew past \(maxBytes) bytes while being read; expected at most that (--max-bytes)")
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
