import AtlasServer
import AtlasTestSupport
import Foundation

/// The TLS record path as a client's first bytes reach it: one HTTPS server (a test CA's leaf, made with the
/// openssl command), and per input a real connection that sends the bytes, half-closes, and reads until the
/// server closes. The input runs through the plain-HTTP check, OpenSSL's record and handshake parsing and
/// the loop's handling of each outcome; the server must close every such connection (a hang ends the run
/// by libFuzzer's timeout) and must go on answering: every 256 inputs a real HTTPS request must get a 200.
enum TLSFuzz {
    static let pki: TestPKI = try! TestPKI.make(in: NSTemporaryDirectory() + "fuzz-tls-\(getpid())")
    static let server: HTTPServer = {
        var c = HTTPServer.Configuration()
        c.port = 0
        c.loops = 1
        c.headerTimeout = 2
        c.tls = try! TLSConfig(certificate: pki.chain, key: pki.key)
        let s = try! HTTPServer(c) { _ in HTTPResource(contentType: "text/plain; charset=utf-8", body: Array("ok\n".utf8), compress: false) }
        s.start()
        return s
    }()
    nonisolated(unsafe) static var count = 0

    static func one(_ input: UnsafeBufferPointer<UInt8>) {
        // Source addresses rotate over 127.0.0.2–251, and a refused connect is retried: at thousands of
        // connections a second, a new connection can land on a 4-tuple still in TIME_WAIT on the server's side.
        var client: TestClient?
        for attempt in 0..<100 where client == nil {
            client = try? TestClient(port: server.port, source: "127.0.0.\(2 + (count + attempt) % 250)")
            if client == nil { usleep(2000) }
        }
        guard let client else { preconditionFailure("the server refused 100 connections in a row after \(count) inputs") }
        client.send(Array(input.prefix(1 << 16)))
        client.shutdownWrite()
        _ = client.readToClose(seconds: 5)
        count += 1
        if count % 256 == 0 { check() }
    }

    /// A real HTTPS request still gets its answer.
    static func check() {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        // The answer goes to a file: a pipe's read is interrupted by libFuzzer's timer signal.
        let file = pki.folder + "/check.txt"
        unlink(file)
        p.arguments = ["-s", "--max-time", "5", "--cacert", pki.ca, "-o", file, "https://localhost:\(server.port)/"]
        try! p.run()
        p.waitUntilExit()
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        precondition(text == "ok\n", "the server stopped answering HTTPS after \(count) inputs")
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("fuzz_tls_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        if let data { TLSFuzz.one(UnsafeBufferPointer(start: data, count: size)) }
        return 0
    }
}
#else
@main struct TLSFuzzRunner {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes.withUnsafeBufferPointer { TLSFuzz.one($0) }
            print("ok: \(path)")
        }
        TLSFuzz.check()
    }
}
#endif
