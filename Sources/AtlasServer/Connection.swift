import Foundation
import Synchronization

/// One client connection: bytes received and not yet parsed, and responses queued and not yet written.
final class Connection {
    let fd: Int32
    /// Told apart from a later connection on the same descriptor number (for answers built on a worker).
    let serial: UInt64
    /// An answer is being built on a worker; later pipelined requests wait for it.
    var awaiting = false
    /// Set when the connection closes, so a worker skips building an answer no one will read.
    let cancelled = Cancellation()
    /// The client's numeric address, as counted against the per-address limit.
    let peer: String
    var input: [UInt8] = []
    /// Bytes of `input` already parsed.
    var consumed = 0
    /// When the current request head began (or the connection opened); nil between requests.
    var requestStarted: UInt64?
    var lastActivity: UInt64
    /// When the queued output last moved (or began to wait); meaningful while `outputBytes > 0`.
    private(set) var lastWriteProgress: UInt64
    var closeAfterWrite = false
    var interest: UInt32 = 0
    private var output: [(bytes: Bytes, offset: Int)] = []
    /// The TLS session, on a TLS listener; nil on plain HTTP.
    var tls: OpaquePointer?
    /// On TLS: whether the first bytes have been looked at (a plain-HTTP request is answered with a 400).
    var tlsSniffed = false
    /// On TLS: a read that had to send (a handshake flight, a ticket, an alert) found the socket full, so the
    /// read is tried again when the socket is writable.
    var tlsReadWantsWrite = false
    /// On TLS: a write that needs the peer's input first; tried again when the socket is readable.
    var tlsWriteWantsRead = false
    private(set) var outputBytes = 0

    init(fd: Int32, serial: UInt64, peer: String, now: UInt64) {
        self.fd = fd
        self.serial = serial
        self.peer = peer
        lastActivity = now
        lastWriteProgress = now
        requestStarted = now // a new connection must send its first head within the header timeout
    }

    /// Nothing in flight: no partial request and nothing left to write.
    var isIdle: Bool { outputBytes == 0 && consumed == input.count && !awaiting }

    /// Input received and not yet answered (a partial head, or pipelined requests waiting for output to drain).
    var hasUnparsedInput: Bool { consumed < input.count }

    /// How much a connection matters, for choosing whom to close when the server is full: lower goes first.
    /// nil means busy: it is neither stalled nor idle, so it is never evicted.
    func evictionRank(now: UInt64) -> (tier: Int, since: UInt64)? {
        let second: UInt64 = 1_000_000_000
        if awaiting { return nil }
        if outputBytes > 0 {
            // A client that has not taken any of its answer for a second is stalled.
            return now &- lastWriteProgress > second ? (0, lastWriteProgress) : nil
        }
        if let started = requestStarted {
            // A head still on its way (or not begun): the one waited on longest goes first, so a flood of
            // silent connections evicts its own oldest, not a client that has just connected.
            return (2, started)
        }
        return isIdle ? (1, lastActivity) : nil
    }

    /// `extra`: header lines the server adds to every answer (HSTS), already encoded.
    func enqueue(head: [UInt8], date: [UInt8], extra: [UInt8] = [], connection: String?, body: Bytes?, now: UInt64) {
        var bytes = head
        bytes += date
        bytes += extra
        if let connection { bytes += Array("Connection: \(connection)\r\n".utf8) }
        bytes += [0x0D, 0x0A]
        if outputBytes == 0 { lastWriteProgress = now }
        if tls != nil, let body, body.count > 0, bytes.count + body.count <= 16384 {
            // Over TLS a small answer goes in one record (and one packet), not a head record and a body record.
            bytes += UnsafeRawBufferPointer(start: body.base, count: body.count)
            output.append((Bytes(bytes), 0))
            outputBytes += bytes.count
            return
        }
        output.append((Bytes(bytes), 0))
        outputBytes += bytes.count
        if let body, body.count > 0 {
            output.append((body, 0))
            outputBytes += body.count
        }
    }

    enum WriteResult { case done, blocked, failed }

    /// Writes as much of the queue as the socket takes, header and body together with `writev`.
    func write(now: UInt64) -> WriteResult {
        if let ssl = tls { return writeTLS(ssl, now: now) }
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
            if written > 0 { lastWriteProgress = now }
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

extension Connection {
    /// Writes as much of the queue as the TLS session takes, one record of up to 1 MB at a time.
    func writeTLS(_ ssl: OpaquePointer, now: UInt64) -> WriteResult {
        tlsWriteWantsRead = false
        while !output.isEmpty {
            let item = output[0]
            switch TLSIO.write(ssl, item.bytes.base + item.offset, count: item.bytes.count - item.offset) {
            case .bytes(let n):
                lastWriteProgress = now
                outputBytes -= n
                if item.offset + n == item.bytes.count { output.removeFirst() } else { output[0].offset += n }
            case .wantRead:
                tlsWriteWantsRead = true
                return .blocked
            case .wantWrite: return .blocked
            case .closed, .failed: return .failed
            }
        }
        return .done
    }
}

/// A flag one thread sets and others read: the connection a job was for has closed.
final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
