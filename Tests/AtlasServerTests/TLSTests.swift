@testable import AtlasServer
import AtlasTestSupport
import CTLS
import Foundation
import Testing

/// A blocking TLS client over a real socket, verifying the server's chain against the test CA.
final class TLSClient {
    let fd: Int32
    let ctx: OpaquePointer
    let ssl: OpaquePointer

    /// `tickets: false` asks for TLS 1.2 session-ID resumption only; `resuming` offers a saved session.
    /// `receiveBuffer` sets SO_RCVBUF before connecting (a small one makes the server's sends block).
    init(port: Int, ca: String, version: Int32? = nil, tickets: Bool = true, resuming: OpaquePointer? = nil, receiveBuffer: Int32? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let ctx = SSL_CTX_new(TLS_client_method())!
        self.ctx = ctx
        if let version {
            // Old versions need the lowest security level on the client's side to be offered at all.
            SSL_CTX_set_security_level(ctx, 0)
            _ = SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(version), nil)
            _ = SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(version), nil)
        }
        if !tickets { _ = SSL_CTX_set_options(ctx, UInt64(1) << 14) } // SSL_OP_NO_TICKET
        SSL_CTX_load_verify_locations(ctx, ca, nil)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        let ssl = SSL_new(ctx)!
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        if let resuming { SSL_set_session(ssl, resuming) }
        let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
        _ = SSL_set_alpn_protos(ssl, alpn, UInt32(alpn.count))
        guard connected == 0 else { throw CocoaError(.fileReadUnknown) }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(ctx)
        close(fd)
    }

    /// Whether the handshake succeeded.
    func handshake() -> Bool { SSL_connect(ssl) == 1 }

    var version: String { String(cString: SSL_get_version(ssl)) }
    var resumed: Bool { SSL_session_reused(ssl) == 1 }
    /// A copy of the session (through its DER form), so that what happens to this connection afterwards
    /// cannot mark it unresumable on the client's side.
    func savedSession() -> OpaquePointer? {
        guard let session = SSL_get1_session(ssl) else { return nil }
        defer { SSL_SESSION_free(session) }
        let length = i2d_SSL_SESSION(session, nil)
        var der = [UInt8](repeating: 0, count: Int(length))
        return der.withUnsafeMutableBufferPointer { buffer -> OpaquePointer? in
            var out = buffer.baseAddress
            _ = i2d_SSL_SESSION(session, &out)
            var input = UnsafePointer(buffer.baseAddress)
            return d2i_SSL_SESSION(nil, &input, Int(length))
        }
    }
    /// Sends close_notify (without waiting for the server's).
    func closeNotify() { _ = SSL_shutdown(ssl) }

    /// Whether the server has ended the session with a close_notify (not a bare end of the socket).
    func receivesCloseNotify() -> Bool {
        var byte: UInt8 = 0
        let n = SSL_read(ssl, &byte, 1)
        return n == 0 && SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN
    }

    /// Whether the server has sent anything (or closed) within `seconds`.
    func readable(within seconds: Double) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return SSL_pending(ssl) > 0 || poll(&p, 1, Int32(seconds * 1000)) > 0
    }

    /// Sends a TLS 1.3 KeyUpdate record: it carries no request.
    func keyUpdate() -> Bool { SSL_key_update(ssl, 0) == 1 && SSL_do_handshake(ssl) == 1 } // 0: SSL_KEY_UPDATE_NOT_REQUESTED
    var cipher: String { String(cString: SSL_CIPHER_get_name(SSL_get_current_cipher(ssl))) }
    var verified: Bool { SSL_get_verify_result(ssl) == X509_V_OK }
    var alpn: String {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        return data.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self) } ?? ""
    }
    /// The server certificate's subject, one line.
    var subject: String {
        guard let cert = SSL_get1_peer_certificate(ssl) else { return "" }
        defer { X509_free(cert) }
        var buffer = [CChar](repeating: 0, count: 256)
        X509_NAME_oneline(X509_get_subject_name(cert), &buffer, 256)
        return String(cString: buffer)
    }

    /// Sends raw bytes, then reads until `count` response heads (bodies included) have arrived or the peer stops.
    func exchange(_ text: String, responses count: Int) -> String {
        _ = text.withCString { SSL_write(ssl, $0, Int32(strlen($0))) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while String(decoding: received, as: UTF8.self).components(separatedBy: "HTTP/1.1 ").count - 1 < count || !complete(received) {
            let n = SSL_read(ssl, &buffer, Int32(buffer.count))
            if n <= 0 { break }
            received += buffer[0..<Int(n)]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Whether the last response's body (by Content-Length) has fully arrived.
    private func complete(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let last = text.range(of: "HTTP/1.1 ", options: .backwards), let end = text.range(of: "\r\n\r\n", range: last.upperBound..<text.endIndex) else { return false }
        let length = text[last.upperBound..<end.lowerBound].split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        return text[end.upperBound...].utf8.count >= length
    }

    /// Sends a GET and reads one response (head and Content-Length body).
    func get(_ path: String, close: Bool = false) -> String {
        let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n"
        _ = request.withCString { SSL_write(ssl, $0, Int32(strlen($0))) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let text = String(decoding: received, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let head = text[..<end.lowerBound]
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count - text[..<end.upperBound].utf8.count >= length { return text }
            }
            let n = SSL_read(ssl, &buffer, Int32(buffer.count))
            if n <= 0 { return text }
            received += buffer[0..<Int(n)]
        }
    }
}

@Suite(.enabled(if: TestPKI.available, "skipped: no openssl command"))
struct TLSTests {
    static func server(_ tls: TLSConfig, configure: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> HTTPServer {
        var c = HTTPServer.Configuration()
        c.port = 0
        c.loops = 2
        c.tls = tls
        configure(&c)
        let server = try HTTPServer(c) { request in
            HTTPResource(contentType: "text/plain; charset=utf-8", body: Array("hello \(request.path)\n".utf8), compress: false)
        }
        server.start()
        return server
    }

    @Test func requestsOverTLS13AndTLS12AndNotTLS11() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        let server = try Self.server(try TLSConfig(certificate: pki.chain, key: pki.key)) { $0.extraHeaders = [("Strict-Transport-Security", "max-age=31536000")] }
        defer { server.stop(); server.wait() }
        // TLS 1.3: the chain verifies against the CA, ALPN is http/1.1, keep-alive carries two requests.
        let a = try TLSClient(port: server.port, ca: pki.ca)
        #expect(a.handshake() && a.version == "TLSv1.3" && a.verified && a.alpn == "http/1.1")
        let first = a.get("/one")
        #expect(first.hasPrefix("HTTP/1.1 200") && first.contains("Strict-Transport-Security: max-age=31536000") && first.hasSuffix("hello /one\n"), "\(first)")
        #expect(a.get("/two").hasSuffix("hello /two\n"))
        // TLS 1.2: an ECDHE AEAD suite.
        let b = try TLSClient(port: server.port, ca: pki.ca, version: TLS1_2_VERSION)
        #expect(b.handshake() && b.version == "TLSv1.2" && b.verified)
        #expect(b.cipher.hasPrefix("ECDHE-") && (b.cipher.contains("GCM") || b.cipher.contains("CHACHA20")), "\(b.cipher)")
        #expect(b.get("/three", close: true).hasSuffix("hello /three\n"))
        // The server ends a `Connection: close` exchange with a close_notify (once it shut the socket's
        // sending side first, so the alert was never sent and the client saw a bare end of input).
        #expect(b.receivesCloseNotify())
        // TLS 1.1 and 1.0: refused.
        for old in [TLS1_1_VERSION, TLS1_VERSION] {
            let c = try TLSClient(port: server.port, ca: pki.ca, version: old)
            #expect(!c.handshake())
        }
    }

    @Test func pipeliningConditionalsAndGzipWorkOverTLS() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        var c = HTTPServer.Configuration()
        c.port = 0
        c.tls = try TLSConfig(certificate: pki.chain, key: pki.key)
        let page = HTTPResource(contentType: "text/html; charset=utf-8", body: Array(String(repeating: "<p>gain</p>\n", count: 200).utf8), etag: "\"abc123\"")
        let server = try HTTPServer(c) { $0.path == "/" ? page : HTTPResource(contentType: "text/plain; charset=utf-8", body: Array("p \($0.path)\n".utf8), compress: false) }
        server.start()
        defer { server.stop(); server.wait() }
        let client = try TLSClient(port: server.port, ca: pki.ca)
        #expect(client.handshake())
        // Three requests in one record: three answers, in order.
        let three = client.exchange("GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\nGET /c HTTP/1.1\r\nHost: t\r\n\r\n", responses: 3)
        let order = ["p /a", "p /b", "p /c"].map { three.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!, "\(three)")
        // If-None-Match: a 304; Accept-Encoding: gzip: a gzip body with Vary.
        let notModified = client.exchange("GET / HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"abc123\"\r\n\r\n", responses: 1)
        #expect(notModified.hasPrefix("HTTP/1.1 304") && notModified.contains("ETag: \"abc123\""), "\(notModified)")
        let zipped = client.exchange("GET / HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n", responses: 1)
        #expect(zipped.hasPrefix("HTTP/1.1 200") && zipped.contains("Content-Encoding: gzip") && zipped.contains("Vary: Accept-Encoding"), "\(zipped.prefix(300))")
    }

    @Test func plainHTTPAndTruncatedHelloesAreClosedWithoutHarm() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        let server = try Self.server(try TLSConfig(certificate: pki.chain, key: pki.key)) { $0.headerTimeout = 1 }
        defer { server.stop(); server.wait() }
        // A plain-HTTP request to the TLS port: a 400 in plain text, then closed.
        let plain = try TestClient(port: server.port)
        plain.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        let answer = String(decoding: plain.readToClose(), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request") && answer.contains("This port speaks HTTPS"), "\(answer)")
        // A ClientHello cut short, then nothing: cut off by the header timeout (1 s here).
        let truncated = try TestClient(port: server.port)
        truncated.send([0x16, 0x03, 0x01, 0x00, 0xC8, 0x01, 0x00, 0x00, 0xC4, 0x03, 0x03] + [UInt8](repeating: 0x41, count: 20))
        #expect(truncated.closedByServer(within: 4))
        // A malformed record: closed at once.
        let garbage = try TestClient(port: server.port)
        garbage.send([0x16, 0x03, 0x01, 0x00, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(garbage.closedByServer(within: 2))
        // The server still serves.
        let after = try TLSClient(port: server.port, ca: pki.ca)
        #expect(after.handshake() && after.get("/after").hasSuffix("hello /after\n"))
    }

    @Test func aReloadTakesTheNewCertificateForNewConnectionsAndKeepsOpenOnes() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-\(UUID().uuidString)", name: "first")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        let tls = try TLSConfig(certificate: pki.chain, key: pki.key)
        let server = try Self.server(tls)
        defer { server.stop(); server.wait() }
        let open = try TLSClient(port: server.port, ca: pki.ca)
        #expect(open.handshake() && open.subject.contains("O=first"))
        // The files replaced by a new chain (another CA too), then reloaded.
        let next = try TestPKI.make(in: pki.folder + "/next", name: "second")
        for (from, to) in [(next.chain, pki.chain), (next.key, pki.key)] {
            try FileManager.default.removeItem(atPath: to)
            try FileManager.default.copyItem(atPath: from, toPath: to)
        }
        try tls.reload()
        let fresh = try TLSClient(port: server.port, ca: next.ca)
        #expect(fresh.handshake() && fresh.subject.contains("O=second") && fresh.verified)
        #expect(open.get("/still").hasSuffix("hello /still\n"))
        // A failed reload (a key that matches nothing) keeps the pair in force.
        try FileManager.default.removeItem(atPath: pki.key)
        try FileManager.default.copyItem(atPath: pki.otherKey, toPath: pki.key)
        #expect(throws: TLSConfig.LoadError.self) { try tls.reload() }
        let kept = try TLSClient(port: server.port, ca: next.ca)
        #expect(kept.handshake() && kept.subject.contains("O=second"))
    }

    /// TLS 1.2 session IDs (tickets off) resume whether the client ended its first connection with a
    /// close_notify, a bare FIN or a reset. Before SSL_OP_IGNORE_UNEXPECTED_EOF, a FIN without close_notify
    /// made OpenSSL 3 send a decode_error alert and drop the session from the cache (sslyze counted 0 of 5).
    @Test func tls12SessionIDsResumeHoweverTheFirstConnectionEnded() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        let server = try Self.server(try TLSConfig(certificate: pki.chain, key: pki.key))
        defer { server.stop(); server.wait() }
        for ending in ["close_notify", "FIN", "reset"] {
            var saved: OpaquePointer?
            do {
                let first = try TLSClient(port: server.port, ca: pki.ca, version: TLS1_2_VERSION, tickets: false)
                #expect(first.handshake() && !first.resumed)
                #expect(first.get("/first").hasSuffix("hello /first\n"))
                saved = first.savedSession()
                switch ending {
                case "close_notify": first.closeNotify()
                case "reset":
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(first.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                default: break
                }
            } // deinit closes the socket
            guard let saved else { Issue.record("no session saved (\(ending))"); continue }
            defer { SSL_SESSION_free(saved) }
            Thread.sleep(forTimeInterval: 0.2) // the server sees the end before the second connection
            let second = try TLSClient(port: server.port, ca: pki.ca, version: TLS1_2_VERSION, tickets: false, resuming: saved)
            #expect(second.handshake() && second.resumed, "not resumed after \(ending)")
            #expect(second.get("/second").hasSuffix("hello /second\n"))
        }
    }

    /// A handshake flight larger than the socket buffers (a long chain, a 4 KB send buffer, a client with a 4 KB
    /// receive buffer) is written as the socket drains. Before, OpenSSL's want-write inside a read left the
    /// connection waiting only for input, so the handshake stalled until the header timeout.
    @Test func aHandshakeFlightLargerThanTheSocketBuffersIsSentAsTheSocketDrains() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        // The leaf, then the CA 40 times: about 22 KB of certificates in one flight.
        let ca = try String(contentsOfFile: pki.ca, encoding: .utf8)
        let long = pki.folder + "/long-chain.pem"
        try (String(contentsOfFile: pki.folder + "/leaf.pem", encoding: .utf8) + String(repeating: ca, count: 40)).write(toFile: long, atomically: true, encoding: .utf8)
        let server = try Self.server(try TLSConfig(certificate: long, key: pki.key)) {
            $0.sendBuffer = 4096
            $0.headerTimeout = 3
        }
        defer { server.stop(); server.wait() }
        for version in [TLS1_3_VERSION, TLS1_2_VERSION] {
            let client = try TLSClient(port: server.port, ca: pki.ca, version: version, receiveBuffer: 4096)
            #expect(client.handshake() && client.verified, "TLS \(version == TLS1_3_VERSION ? "1.3" : "1.2")")
            #expect(client.get("/long").hasSuffix("hello /long\n"))
        }
    }

    /// TLS records that carry no request (KeyUpdates here) do not keep an idle connection open: it is closed,
    /// with a close_notify, about the idle timeout after its last answer. Before, every such record restarted
    /// the idle clock.
    @Test func recordsWithoutRequestsDoNotKeepAnIdleConnectionOpen() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        let server = try Self.server(try TLSConfig(certificate: pki.chain, key: pki.key)) { $0.idleTimeout = 1 }
        defer { server.stop(); server.wait() }
        let client = try TLSClient(port: server.port, ca: pki.ca)
        #expect(client.handshake() && client.get("/once").hasSuffix("hello /once\n"))
        let answered = Date()
        var closedAfter: Double?
        // A KeyUpdate every 0.3 s for up to 4 s; the server closes at 1 s (its sweep runs once a second, so by 2.5 s).
        while Date().timeIntervalSince(answered) < 4 {
            if client.readable(within: 0.3) {
                closedAfter = Date().timeIntervalSince(answered)
                break
            }
            #expect(client.keyUpdate())
        }
        let after = try #require(closedAfter, "still open 4 s after its last answer")
        #expect(after < 2.5, "closed \(after) s after its last answer")
        #expect(client.receivesCloseNotify())
    }

    @Test func badPairsAreRefusedAtStartNamingTheFileAndReason() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        func failure(_ cert: String, _ key: String) -> String {
            do { _ = try TLSConfig(certificate: cert, key: key); return "no error" } catch { return "\(error)" }
        }
        #expect(failure(pki.chain, pki.otherKey) == "\(pki.otherKey): does not match the certificate in \(pki.chain)")
        #expect(failure(pki.folder + "/none.pem", pki.key) == "\(pki.folder)/none.pem: does not exist")
        #expect(failure(pki.key, pki.key).hasPrefix("\(pki.key): is not a PEM certificate chain"))
        #expect(failure(pki.chain, pki.chain) == "\(pki.chain): is not a PEM private key")
        // An encrypted key: refused (never a passphrase prompt; the CLI test checks it does not wait for one).
        try TestPKI.run(["pkey", "-in", "leaf.key", "-aes256", "-passout", "pass:secret", "-out", "encrypted.key"], in: pki.folder)
        #expect(failure(pki.chain, pki.folder + "/encrypted.key").hasPrefix("\(pki.folder)/encrypted.key: is encrypted: give it without a passphrase"))
        // The key's text never appears in a message, even when the key is given as the certificate (that message
        // carries OpenSSL's reason after its fixed start).
        let keyLine = try String(contentsOfFile: pki.key, encoding: .utf8).split(separator: "\n")[1]
        #expect(!failure(pki.key, pki.key).contains(keyLine) && !failure(pki.chain, pki.folder + "/encrypted.key").contains("ENCRYPTED"))
        // An expired certificate: valid for 0 days, so past its end a second later.
        try TestPKI.run(["x509", "-req", "-in", "leaf.csr", "-signkey", "leaf.key", "-days", "0", "-out", "old.pem"], in: pki.folder)
        Thread.sleep(forTimeInterval: 1.2)
        #expect(failure(pki.folder + "/old.pem", pki.key) == "\(pki.folder)/old.pem: the certificate has expired")
    }
}
