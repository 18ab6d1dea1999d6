import AtlasAnalysis
import AtlasIngest
import AtlasStore
import ArgumentParser
import Foundation

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarize a database: where its data came from, what it holds, and the training grid's coverage."
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let (path, store) = try database.open()
        let provenance = try store.provenance()
        let synthetic = provenance.contains { $0.synthetic }
        print("database: \(path)")
        if synthetic { print("SYNTHETIC DEMO DATA: generated values, not the study's results.") }
        for p in provenance {
            print("source: \(p.fileName)  sha256 \(p.sha256)  \(p.rows) rows  ingested \(p.ingestedAt) by sftatlas \(p.toolVersion)")
        }
        let all = try store.count(RunFilter())
        let bases = try store.count(RunFilter([.dataset: [RunFilter.noneValue]]))
        print("runs: \(all) (\(all - bases) fine-tuned, \(bases) base models)")
        print("bases: \(store.bases.count), datasets: \(store.datasets.count), score columns: \(store.columns.count)")
        let cells = try store.gridCells()
        var studies: [String] = []
        var byStudy: [String: (planned: Int, present: Int)] = [:]
        for cell in cells {
            if byStudy[cell.study] == nil { studies.append(cell.study) }
            byStudy[cell.study, default: (0, 0)].planned += 1
            if cell.present { byStudy[cell.study, default: (0, 0)].present += 1 }
        }
        print("training grid coverage (present / planned):")
        for study in studies {
            let s = byStudy[study]!
            print("  \(study): \(s.present) / \(s.planned)")
        }
        var reasons: [String: Int] = [:]
        for cell in cells where !cell.present { reasons[cell.reason ?? "not in the results", default: 0] += 1 }
        for (reason, n) in reasons.sorted(by: { $0.key < $1.key }) { print("  missing, \(reason): \(n)") }
        if let text = try store.analysis("quality"), let audit = try? JSONDecoder().decode(AuditResult.self, from: Data(text.utf8)) {
            print("audit (sftatlas audit lists them): " + AuditResult.Kind.allCases.map { "\($0.rawValue) \(audit.count($0))" }.joined(separator: ", "))
        }
    }
}
