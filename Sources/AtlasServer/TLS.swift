import CTLS
import Foundation
import Synchronization

/// The server's TLS side: a certificate chain and key (PEM files), loaded into an OpenSSL context that
/// allows TLS 1.2 and 1.3 only, ECDHE with AES-GCM or ChaCha20-Poly1305 under 1.2, ALPN http/1.1, and
/// session resumption (a server-side cache for 1.2, tickets for 1.3). `reload()` loads the files again
/// (on SIGHUP): new connections get the new pair, open ones keep theirs; a reload that fails keeps the old.
/// Errors name the file and the reason; the key's contents are never logged.
public final class TLSConfig: Sendable {
    public let certificateFile: String
    public let keyFile: String
    private let current: Mutex<ContextBox>

    public struct LoadError: Error, CustomStringConvertible {
        public let file: String
        public let reason: String
        public var description: String { "\(file): \(reason)" }
    }

    public init(certificate: String, key: String) throws {
        certificateFile = certificate
        keyFile = key
        current = Mutex(try ContextBox(Self.load(certificate: certificate, key: key)))
    }

    /// Loads the files again; on failure the previous pair stays in force and the error is thrown.
    public func reload() throws {
        let fresh = try ContextBox(Self.load(certificate: certificateFile, key: keyFile))
        current.withLock { $0 = fresh }
    }

    /// A server-side TLS session for an accepted socket, on the pair in force now.
    /// (The lock covers only taking the context: the box keeps it alive while SSL_new runs.)
    func session(fd: Int32) -> OpaquePointer? {
        let box = current.withLock { $0 }
        guard let ssl = SSL_new(box.context) else { ERR_clear_error(); return nil }
        guard SSL_set_fd(ssl, fd) == 1 else { SSL_free(ssl); ERR_clear_error(); return nil }
        SSL_set_accept_state(ssl)
        return ssl
    }

    static func error() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ctls_error(&buffer, buffer.count)
        return String(cString: buffer)
    }

    static func load(certificate: String, key: String) throws -> OpaquePointer {
        for file in [certificate, key] {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw LoadError(file: file, reason: FileManager.default.fileExists(atPath: file) ? "cannot be read (permissions)" : "does not exist")
            }
        }
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw LoadError(file: certificate, reason: "OpenSSL could not make a context: \(error())") }
        guard ctls_configure(ctx) == 1 else { SSL_CTX_free(ctx); throw LoadError(file: certificate, reason: "OpenSSL refused the protocol settings: \(error())") }
        ctls_use_http11(ctx)
        guard SSL_CTX_use_certificate_chain_file(ctx, certificate) == 1 else {
            let reason = error()
            SSL_CTX_free(ctx)
            throw LoadError(file: certificate, reason: "is not a PEM certificate chain (\(reason))")
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) == 1 else {
            // OpenSSL checks the key against the certificate here already. Only the kind of failure is
            // reported, never OpenSSL's text about the key.
            let mismatch = error().contains("key values mismatch")
            SSL_CTX_free(ctx)
            if mismatch { throw LoadError(file: key, reason: "does not match the certificate in \(certificate)") }
            // Only the PEM labels are looked at ("ENCRYPTED PRIVATE KEY", or "Proc-Type: 4,ENCRYPTED").
            let encrypted = (try? String(contentsOfFile: key, encoding: .utf8))?.contains("ENCRYPTED") ?? false
            throw LoadError(file: key, reason: encrypted ? "is encrypted: give it without a passphrase (openssl pkey -in KEY -out PLAIN-KEY)" : "is not a PEM private key")
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            _ = error()
            SSL_CTX_free(ctx)
            throw LoadError(file: key, reason: "does not match the certificate in \(certificate)")
        }
        switch ctls_validity(ctx) {
        case -1: SSL_CTX_free(ctx); throw LoadError(file: certificate, reason: "the certificate has expired")
        case 1: SSL_CTX_free(ctx); throw LoadError(file: certificate, reason: "the certificate is not valid yet")
        case 0: break
        default: SSL_CTX_free(ctx); throw LoadError(file: certificate, reason: "holds no certificate")
        }
        return ctx
    }
}

/// An OpenSSL context, freed when no longer in force (sessions made from it hold their own reference).
final class ContextBox: @unchecked Sendable {
    let context: OpaquePointer
    init(_ context: OpaquePointer) { self.context = context }
    deinit { SSL_CTX_free(context) }
}

/// What a TLS read or write came to.
enum TLSOutcome {
    case bytes(Int)
    /// Wait for the socket to be readable or writable.
    case wantRead, wantWrite
    /// The peer closed the TLS session (close_notify) or the socket.
    case closed
    case failed
}

enum TLSIO {
    static func outcome(_ ssl: OpaquePointer, _ n: Int32) -> TLSOutcome {
        if n > 0 { return .bytes(Int(n)) }
        let code = SSL_get_error(ssl, n)
        defer { ERR_clear_error() }
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL: return n == 0 ? .closed : .failed
        default: return .failed
        }
    }

    // The thread's error queue is cleared before each call, so that an error left by another connection on
    // this loop cannot make SSL_get_error misreport this one.
    static func read(_ ssl: OpaquePointer, into buffer: UnsafeMutableRawBufferPointer) -> TLSOutcome {
        ERR_clear_error()
        return outcome(ssl, SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max)))))
    }

    static func write(_ ssl: OpaquePointer, _ bytes: UnsafeRawPointer, count: Int) -> TLSOutcome {
        ERR_clear_error()
        return outcome(ssl, SSL_write(ssl, bytes, Int32(min(count, 1 << 20))))
    }
}
