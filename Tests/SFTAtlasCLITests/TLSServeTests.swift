import AtlasTestSupport
import Foundation
import Testing

/// `sftatlas serve` over HTTPS, as a process: HTTP beside HTTPS with redirects, HSTS, SIGHUP reloading the
/// certificate, and a mismatched key refused at start. Requests go through curl and openssl s_client.
@Suite(.enabled(if: TestPKI.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "skipped: needs the openssl and curl commands"))
struct TLSServeTests {
    /// Runs a command; its standard output.
    static func output(_ tool: String, _ arguments: [String], input: String = "") throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let out = Pipe(), into = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        p.standardInput = into
        try p.run()
        into.fileHandleForWriting.write(Data(input.utf8))
        try into.fileHandleForWriting.close()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text
    }

    /// The server's certificate subject as openssl s_client sees it.
    static func subject(port: Int) throws -> String {
        try output("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost"], input: "")
            .split(separator: "\n").first { $0.hasPrefix("subject=") }.map(String.init) ?? ""
    }

    @Test func httpsBesideRedirectingHTTPWithHSTSAndAReloadOnSIGHUP() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-cli-\(UUID().uuidString)", name: "first")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        let p = Process()
        p.executableURL = try #require(CLITests.binary)
        p.arguments = ["serve", "--db", ServeRobustnessTests.demo, "--assets", Fixture.repository, "--port", "0", "--tls-port", "0",
                       "--tls-cert", pki.chain, "--tls-key", pki.key, "--redirect-http", "--hsts"]
        let errors = Pipe()
        p.standardError = errors
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        var banner = ""
        while !banner.contains("\n") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            banner += String(decoding: data, as: UTF8.self)
        }
        // "serving … at http://127.0.0.1:P/ (redirecting to https) and https://127.0.0.1:Q/ …"
        let ports = banner.split(separator: ":").compactMap { Int($0.prefix { $0.isNumber }) }.filter { $0 > 0 }
        #expect(banner.contains("(redirecting to https) and https://"), "\(banner)")
        let (http, https) = (ports[0], ports[1])
        // Plain HTTP: a 308 to the same target over https, on the TLS port.
        let redirect = try Self.output("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://127.0.0.1:\(http)/models/?q=lima"])
        #expect(redirect == "308 https://127.0.0.1:\(https)/models/?q=lima", "\(redirect)")
        // HTTPS: the page, verified against the test CA, with HSTS.
        let head = try Self.output("/usr/bin/curl", ["-s", "-D", "-", "-o", "/dev/null", "--cacert", pki.ca, "https://localhost:\(https)/"])
        #expect(head.hasPrefix("HTTP/1.1 200") && head.contains("Strict-Transport-Security: max-age=31536000"), "\(head)")
        #expect(try Self.subject(port: https).contains("O = first"))
        // A new certificate, then SIGHUP: new connections get it.
        let next = try TestPKI.make(in: pki.folder + "/next", name: "second")
        for (from, to) in [(next.chain, pki.chain), (next.key, pki.key)] {
            try FileManager.default.removeItem(atPath: to)
            try FileManager.default.copyItem(atPath: from, toPath: to)
        }
        kill(p.processIdentifier, SIGHUP)
        var reloaded = ""
        while !reloaded.contains("SIGHUP") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            reloaded += String(decoding: data, as: UTF8.self)
        }
        #expect(reloaded.contains("SIGHUP: reloaded"), "\(reloaded)")
        #expect(try Self.subject(port: https).contains("O = second"))
        #expect(p.isRunning)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    @Test func aMismatchedKeyIsRefusedAtStart() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        let p = Process()
        p.executableURL = try #require(CLITests.binary)
        p.arguments = ["serve", "--db", ServeRobustnessTests.demo, "--assets", Fixture.repository, "--port", "0", "--tls-cert", pki.chain, "--tls-key", pki.otherKey]
        let errors = Pipe()
        p.standardError = errors
        try p.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1 && text.contains("error: \(pki.otherKey): does not match the certificate in \(pki.chain)"), "\(text)")
    }

    /// An encrypted key stops the server at start with an error. Before, OpenSSL asked for the passphrase on the
    /// terminal or standard input, and the server waited there (here: a pipe nobody writes to).
    @Test func anEncryptedKeyIsRefusedWithoutAskingForAPassphrase() throws {
        let pki = try TestPKI.make(in: NSTemporaryDirectory() + "tls-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: pki.folder) }
        try TestPKI.run(["pkey", "-in", "leaf.key", "-aes256", "-passout", "pass:secret", "-out", "encrypted.key"], in: pki.folder)
        let p = Process()
        p.executableURL = try #require(CLITests.binary)
        p.arguments = ["serve", "--db", ServeRobustnessTests.demo, "--assets", Fixture.repository, "--port", "0", "--tls-cert", pki.chain, "--tls-key", pki.folder + "/encrypted.key"]
        let errors = Pipe(), input = Pipe()
        p.standardError = errors
        p.standardInput = input
        try p.run()
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        let waited = p.isRunning
        if waited { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(!waited, "still running after 10 s: \(text)")
        #expect(p.terminationStatus == 1 && text.contains("encrypted.key: is encrypted"), "\(text)")
        _ = input
    }
}
