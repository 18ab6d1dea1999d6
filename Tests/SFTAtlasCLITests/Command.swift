import AtlasTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs `sftatlas` with arguments, as a user would, and kills it past a deadline (a hang is a failure,
/// not a stuck test run).
enum Command {
    struct Result {
        var status: Int32
        var stderr: String
        var stdout: String
        /// Killed at the deadline.
        var timedOut: Bool
    }

    static func run(_ args: [String], timeout: Double = 120) throws -> Result {
        let binary = try #require(CLITests.binary)
        let folder = Fixture.folder()
        defer { Fixture.remove(folder) }
        // Files, not pipes: a chatty process cannot block on a full pipe nobody reads until it exits.
        FileManager.default.createFile(atPath: folder + "/err", contents: nil)
        FileManager.default.createFile(atPath: folder + "/out", contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/err"))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out"))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let err = (try? String(contentsOfFile: folder + "/err", encoding: .utf8)) ?? ""
        let out = (try? String(contentsOfFile: folder + "/out", encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, stderr: err, stdout: out, timedOut: timedOut)
    }
}
