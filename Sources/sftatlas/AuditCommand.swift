import AtlasAnalysis
import AtlasStore
import ArgumentParser
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the faults ingest found in the data: duplicated results, collapsed scores, incomplete blocks, scale violations, plan gaps.",
        discussion: "Each kind is a documented rule (printed with --rules); each finding names its runs and columns and gives its evidence."
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print the findings as JSON, as /api/v1/quality.json serves them.")
    var json = false

    @Flag(help: "Print each kind's rule, with its thresholds.")
    var rules = false

    @Option(help: "Only findings of this kind: duplicate, collapsed, incomplete, scale or plan-gap.")
    var kind: String?

    func validate() throws {
        if let kind, AuditResult.Kind(rawValue: kind) == nil {
            throw ValidationError("--kind must be one of \(AuditResult.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let (path, store) = try database.open()
        guard let text = try store.analysis("quality") else {
            Console.error("error: \(path) holds no audit; ingest it again with this version")
            throw ExitCode(1)
        }
        if json, kind == nil { print(text); return }
        var audit = try JSONDecoder().decode(AuditResult.self, from: Data(text.utf8))
        if let kind { audit.findings = audit.findings.filter { $0.kind.rawValue == kind } }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(audit), as: UTF8.self))
            return
        }
        for k in AuditResult.Kind.allCases where kind == nil || kind == k.rawValue {
            let found = audit.findings.filter { $0.kind == k }
            print("\(k.rawValue): \(found.count) finding\(found.count == 1 ? "" : "s")")
            if rules { print("  rule: \(audit.rules[k.rawValue] ?? "")") }
            for f in found {
                print("  \(f.detail)" + (f.explained.map { " [\($0)]" } ?? ""))
            }
        }
    }
}
