import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `sftatlas serve` run as a user runs it, on an ephemeral port: started, asked over real sockets, measured
/// from /proc, and stopped with SIGTERM.
public final class ServerProcess {
    public let process = Process()
    public let port: Int
    private let errors = Pipe()

    /// Starts `binary serve --port 0 …arguments` (through `bash -c` with `shellPrefix` before it, for a
    /// `ulimit`), and waits for the banner that names the port.
    public init(binary: URL, arguments: [String], shellPrefix: String? = nil) throws {
        let serveArguments = ["serve", "--port", "0", "--assets", Fixture.repository] + arguments
        if let shellPrefix {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            let quoted = ([binary.path] + serveArguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            process.arguments = ["-c", shellPrefix + " && exec " + quoted.joined(separator: " ")]
        } else {
            process.executableURL = binary
            process.arguments = serveArguments
        }
        process.standardError = errors
        try process.run()
        // "serving … at http://127.0.0.1:PORT/ …"
        var banner = ""
        while !banner.contains("serving") || !banner.contains("\n") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            banner += String(decoding: data, as: UTF8.self)
        }
        guard let line = banner.split(separator: "\n").first(where: { $0.contains("serving") }),
              let port = line.split(separator: ":").compactMap({ Int($0.prefix { $0.isNumber }) }).last else {
            process.terminate()
            throw ServerProcessError.noBanner(banner)
        }
        self.port = port
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    public var isRunning: Bool { process.isRunning }

    /// One request on a new connection; nil when the server does not answer.
    public func get(_ target: String, headers: [String] = [], source: String? = nil) -> TestClient.Response? {
        guard let client = try? TestClient(port: port, source: source) else { return nil }
        client.send("GET \(target) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n")
        return client.response()
    }

    /// Resident memory now, in bytes (VmRSS).
    public var residentBytes: Int { status("VmRSS") }

    private func status(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return (Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0) * 1024
        }
        return 0
    }

    /// CPU time used so far (user + system), in seconds.
    public var cpuSeconds: Double {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGTERM, then waits; returns the exit status (or nil if it did not stop within `seconds`).
    @discardableResult
    public func stop(within seconds: Double = 5) -> Int32? {
        process.terminate()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); return nil }
        return process.terminationStatus
    }
}

public enum ServerProcessError: Error {
    case noBanner(String)
}
