import Foundation

/// One client connection: bytes received and not yet parsed, and responses queued and not yet written.
final class Connection {
    let fd: Int32
    let peer: String
    var input: [UInt8] = []
    /// Bytes of `input` already parsed.
    var consumed = 0
    /// When the current request head began (or the connection opened); nil between requests.
    var requestStarted: UInt64?
    var lastActivity: UInt64
    var closeAfterWrite = false
    var timedOut = false
    var interest: UInt32 = 0
    private var output: [(bytes: Bytes, offset: Int)] = []
    private(set) var outputBytes = 0

    init(fd: Int32, peer: String, now: UInt64) {
        self.fd = fd
        self.peer = peer
        lastActivity = now
        requestStarted = now // a new connection must send its first head within the header timeout
    }

    /// Nothing in flight: no partial request and nothing left to write.
    var isIdle: Bool { outputBytes == 0 && consumed == input.count }

    func enqueue(head: [UInt8], date: [UInt8], close: Bool, body: Bytes?) {
        var bytes = head
        bytes += date
        if close { bytes += Array("Connection: close\r\n".utf8) }
        bytes += [0x0D, 0x0A]
        output.append((Bytes(bytes), 0))
        outputBytes += bytes.count
        if let body, body.count > 0 {
            output.append((body, 0))
            outputBytes += body.count
        }
    }

    enum WriteResult { case done, blocked, failed }

    /// Writes as much of the queue as the socket takes, header and body together with `writev`.
    func write() -> WriteResult {
        while !output.isEmpty {
            let count = min(output.count, 64)
            var vectors = [iovec](repeating: iovec(), count: count)
            for i in 0..<count {
                let item = output[i]
                vectors[i] = iovec(iov_base: item.bytes.base + item.offset, iov_len: item.bytes.count - item.offset)
            }
            let written = writev(fd, &vectors, Int32(count))
            if written < 0 {
                if errno == EINTR { continue }
                return errno == EAGAIN || errno == EWOULDBLOCK ? .blocked : .failed
            }
            var left = written
            outputBytes -= written
            while left > 0 {
                let remaining = output[0].bytes.count - output[0].offset
                if left >= remaining {
                    left -= remaining
                    output.removeFirst()
                } else {
                    output[0].offset += left
                    left = 0
                }
            }
        }
        return .done
    }
}
