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

    /// Findings to a page of `/quality/<kind>/`, and how many of each kind `/quality/` shows.
    static let findingsPerPage = 200, findingsOnOverview = 10

    /// The number of pages `count` items fill at `per` to a page (at least one, which may say there are none).
    static func pages(_ count: Int, of per: Int) -> Int { max(1, (count + per - 1) / per) }

    /// Where a finding is listed: its kind's page and its row (`place` is its position among its kind's).
    func findingHref(_ kind: AuditResult.Kind, place: Int, links: Links) -> String {
        links.url(.qualityKind(kind.rawValue, place / Self.findingsPerPage + 1)) + "#f-\(place + 1)"
    }

    /// `/quality/`: each kind's rule and count, its first findings, and a link to all of them.
    func qualityPage(links: Links) -> SiteResponse {
        guard let audit = audit() else {
            return generic("Data quality", intro: "This database holds no audit: ingest it again with this version of sftatlas.", links: links)
        }
        let summary = HTMLTable(
            headers: [.init(label: "Kind"), .init(label: "Findings", numeric: true), .init(label: "Rule")],
            rows: AuditResult.Kind.allCases.map { kind in
                .init(cells: [.init(text: Self.qualityKindTitles[kind] ?? kind.rawValue, href: links.url(.qualityKind(kind.rawValue, 1))),
                              .init(text: String(audit.count(kind)), numeric: true), .init(text: audit.rules[kind.rawValue] ?? "")])
            },
            title: "Kinds")
        let tables = AuditResult.Kind.allCases.map { kind -> HTMLTable in
            let found = audit.findings.filter { $0.kind == kind }
            let more = found.count > Self.findingsOnOverview ? " The first \(Self.findingsOnOverview); all \(found.count) are on their own pages and in the CSV and JSON." : ""
            return findingsTable(Array(found.prefix(Self.findingsOnOverview)), from: 0, kind: kind, links: links,
                                 caption: (found.isEmpty ? "None found." : "") + more, id: kind.rawValue,
                                 title: "\(Self.qualityKindTitles[kind] ?? kind.rawValue): \(found.count)")
        }
        let counts = AuditResult.Kind.allCases.map { "\(audit.count($0)) \(Self.qualityKindTitles[$0]?.lowercased() ?? $0.rawValue)" }.joined(separator: ", ")
        return generic("Data quality", intro: "Faults the data may hold, found at ingest by the rules stated with each kind: \(counts). A finding is evidence to weigh, not a verdict.",
                       tables: [summary] + tables, related: [("All findings (JSON)", links.api(.quality(.json))), ("All findings (CSV)", links.api(.quality(.csv))), ("The claims", links.claims)],
                       alternates: [("application/json", links.api(.quality(.json))), ("text/csv", links.api(.quality(.csv)))], links: links)
    }

    /// `/quality/<kind>/` and its further pages: every finding of one kind, each row anchored (`#f-<n>`).
    func qualityKindPage(_ name: String, page: Int, links: Links) throws -> SiteResponse {
        guard let audit = audit(), let kind = AuditResult.Kind(rawValue: name) else { throw SiteError.notFound(Route.qualityKind(name, page).path) }
        let found = audit.findings.filter { $0.kind == kind }
        let pages = Self.pages(found.count, of: Self.findingsPerPage)
        guard page <= pages else { throw SiteError.notFound(Route.qualityKind(name, page).path) }
        let start = (page - 1) * Self.findingsPerPage, end = min(found.count, start + Self.findingsPerPage)
        let title = Self.qualityKindTitles[kind] ?? kind.rawValue
        let table = findingsTable(Array(found[start..<end]), from: start, kind: kind, links: links,
                                  caption: found.isEmpty ? "None found." : "Findings \(start + 1)–\(end) of \(found.count).", id: nil, title: nil)
        var related = [("Data quality", links.url(.quality))]
        if page > 1 { related.append(("Previous page", links.url(.qualityKind(name, page - 1)))) }
        if page < pages { related.append(("Next page", links.url(.qualityKind(name, page + 1)))) }
        return generic(title + (pages > 1 ? " (page \(page) of \(pages))" : ""), intro: "Rule: " + (audit.rules[kind.rawValue] ?? ""),
                       tables: [table], related: related + [("All findings (CSV)", links.api(.quality(.csv)))], links: links)
    }

    /// Findings as a table, each row anchored by its place among its kind's (`from` is the first's place):
    /// the runs and columns named (linked, the first 10 of each), the finding and the paper's explanation.
    private func findingsTable(_ found: [AuditResult.Finding], from: Int, kind: AuditResult.Kind, links: Links, caption: String, id: String?, title: String?) -> HTMLTable {
        func listed(_ ids: [String], href: (String) -> String?) -> HTMLTable.Cell {
            var cell = HTMLTable.Cell(text: "")
            cell.links = ids.prefix(10).map { ($0, href($0)) }
            if ids.count > 10 { cell.note = "and \(ids.count - 10) more" }
            if ids.isEmpty { cell.text = "—" }
            return cell
        }
        return HTMLTable(
            id: id, caption: caption.isEmpty ? nil : caption,
            headers: [.init(label: "#", numeric: true), .init(label: "Runs"), .init(label: "Columns"), .init(label: "Finding"), .init(label: "The paper's explanation")],
            rows: found.enumerated().map { n, f in
                HTMLTable.Row(cells: [
                    .init(text: String(from + n + 1), href: findingHref(kind, place: from + n, links: links), numeric: true),
                    listed(f.runs) { runs.position[$0] != nil ? links.model($0) : nil },
                    listed(f.columns) { db.column(id: $0) != nil ? links.benchmark($0) : nil },
                    .init(text: f.detail), .init(text: f.explained ?? "none given"),
                ], id: id == nil ? "f-\(from + n + 1)" : nil)
            },
            title: title)
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
