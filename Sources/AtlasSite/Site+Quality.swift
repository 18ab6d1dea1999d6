import AtlasAnalysis
import AtlasStore
import Foundation

extension Site {
    /// The audit's findings, decoded once at start-up.
    func audit() -> AuditResult? { analyses.audit }

    static let qualityKindTitles: [AuditResult.Kind: String] = [
        .duplicate: "Duplicated results", .collapsed: "Collapsed scores", .incomplete: "Incomplete blocks",
        .scale: "Scale violations", .planGap: "Plan gaps",
    ]

    /// `/quality/`: every finding, grouped by kind, with its rule and counts; the first 100 of a kind on the page.
    func qualityPage(links: Links) -> SiteResponse {
        guard let audit = audit() else {
            return generic("Data quality", intro: "This database holds no audit: ingest it again with this version of sftatlas.", links: links)
        }
        let shown = 100
        let tables = AuditResult.Kind.allCases.map { kind -> HTMLTable in
            let found = audit.findings.filter { $0.kind == kind }
            return HTMLTable(
                id: kind.rawValue,
                caption: "Rule: " + (audit.rules[kind.rawValue] ?? "") + (found.count > shown ? " The first \(shown) of \(found.count); all are in the CSV and JSON." : ""),
                headers: [.init(label: "Runs"), .init(label: "Columns"), .init(label: "Finding"), .init(label: "The paper's explanation")],
                rows: found.prefix(shown).map { f in
                    HTMLTable.Row(cells: [
                        .init(text: f.runs.first ?? "—", href: f.runs.first.flatMap { runs.position[$0] != nil ? links.model($0) : nil },
                              note: f.runs.count > 1 ? "and \(f.runs.count - 1) more" : nil),
                        .init(text: f.columns.prefix(3).joined(separator: ", ") + (f.columns.count > 3 ? ", …" : ""),
                              href: f.columns.count == 1 && db.column(id: f.columns[0]) != nil ? links.benchmark(f.columns[0]) : nil),
                        .init(text: f.detail), .init(text: f.explained ?? "none given"),
                    ])
                },
                title: "\(Self.qualityKindTitles[kind] ?? kind.rawValue): \(found.count)")
        }
        let counts = AuditResult.Kind.allCases.map { "\(audit.count($0)) \(Self.qualityKindTitles[$0]?.lowercased() ?? $0.rawValue)" }.joined(separator: ", ")
        return generic("Data quality", intro: "Faults the data may hold, found at ingest by the rules stated with each table: \(counts). A finding is evidence to weigh, not a verdict.",
                       tables: tables, related: [("All findings (JSON)", links.api(.quality(.json))), ("All findings (CSV)", links.api(.quality(.csv))), ("The claims", links.claims)],
                       alternates: [("application/json", links.api(.quality(.json))), ("text/csv", links.api(.quality(.csv)))], links: links)
    }

    /// `/api/v1/quality.json` (the stored document: rules and findings) and `.csv` (one row per finding).
    func qualityDocument(csv: Bool) -> SiteResponse {
        guard let text = analyses[AnalysisKey("quality")] else {
            return csv ? .csv(CSVTable.render(header: ["kind", "runs", "columns", "detail", "explained", "evidence"], rows: []), filename: "quality.csv")
                : .jsonText("{\"findings\":[]}\n")
        }
        guard csv, let audit = audit() else { return .jsonText(text + "\n") }
        let rows = audit.findings.map { f -> [CSVTable.Cell] in
            [.text(f.kind.rawValue), .text(f.runs.joined(separator: " ")), .text(f.columns.joined(separator: " ")), .text(f.detail),
             .text(f.explained ?? ""), .text(f.evidence.keys.sorted().map { "\($0)=\(NumberText.plain(f.evidence[$0]!))" }.joined(separator: "; "))]
        }
        return .csv(CSVTable.render(header: ["kind", "runs", "columns", "detail", "explained", "evidence"], rows: rows), filename: "quality.csv")
    }
}
