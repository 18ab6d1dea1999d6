import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole input file, turning every way it can fail into an `IngestError` that names the path.
enum FileInput {
    static func read(_ path: String) throws(IngestError) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw IngestError(file: path, message: "cannot be read: \(String(cString: strerror(errno))); expected a readable CSV file")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw IngestError(file: path, message: "is a directory; expected a CSV file")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw IngestError(file: path, message: "cannot be read: \(String(cString: strerror(errno))); expected a readable CSV file")
        }
        defer { close(fd) }
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
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
