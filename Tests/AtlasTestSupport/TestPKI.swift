import Foundation

/// A certificate chain made with the `openssl` command: a test CA, and a leaf for localhost and 127.0.0.1
/// signed by it; `chain.pem` is the leaf then the CA. A second key that matches nothing.
public struct TestPKI {
    public let folder: String
    public var chain: String { folder + "/chain.pem" }
    public var key: String { folder + "/leaf.key" }
    public var ca: String { folder + "/ca.pem" }
    public var otherKey: String { folder + "/other.key" }

    public static var available: Bool { (try? run(["version"])) != nil }

    @discardableResult
    public static func run(_ arguments: [String], in folder: String = NSTemporaryDirectory()) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return text
    }

    /// A fresh CA and leaf; `name` goes into the leaf's subject, so that two chains can be told apart.
    public static func make(in folder: String, name: String = "atlas-1") throws -> TestPKI {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try run(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Atlas Test CA"], in: folder)
        try run(["req"] + ec + ["-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost/O=\(name)"], in: folder)
        try Data("subjectAltName=DNS:localhost,IP:127.0.0.1\n".utf8).write(to: URL(fileURLWithPath: folder + "/ext.cnf"))
        try run(["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "2", "-extfile", "ext.cnf"], in: folder)
        try run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.key"], in: folder)
        let chain = try String(contentsOfFile: folder + "/leaf.pem", encoding: .utf8) + String(contentsOfFile: folder + "/ca.pem", encoding: .utf8)
        try chain.write(toFile: folder + "/chain.pem", atomically: true, encoding: .utf8)
        return TestPKI(folder: folder)
    }
}

