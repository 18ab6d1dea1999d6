import AtlasAnalysis
import AtlasStore
import Foundation

/// The stored analysis documents, read once at start-up: their JSON text, each one's "definition", and
/// the claims' verdicts decoded.
struct AnalysisDocuments: Sendable {
    /// Each document's JSON text.
    let text: [AnalysisKey: String]
    /// Each document's "definition" text, by the same keys.
    let definitions: [AnalysisKey: String]
    let claims: ClaimsResult?
    /// The audit (`quality`), and its findings by the runs they name.
    let audit: AuditResult?
    let findingsByRun: [String: [AuditResult.Finding]]
    /// Per run, each of its findings' position among the findings of its kind (parallel to `findingsByRun`).
    let findingPlaces: [String: [Int]]

    init(db: AtlasDatabase) throws {
        var documents: [AnalysisKey: String] = [:]
        for (name, method) in try db.analyses() {
            documents[AnalysisKey(name, method.flatMap(Method.init(rawValue:)))] = try db.analysis(name, method: method)
        }
        text = documents
        claims = try documents[AnalysisKey("claims")].map { try JSONDecoder().decode(ClaimsResult.self, from: Data($0.utf8)) }
        audit = documents[AnalysisKey("quality")].flatMap { try? JSONDecoder().decode(AuditResult.self, from: Data($0.utf8)) }
        var byRun: [String: [AuditResult.Finding]] = [:]
        var places: [String: [Int]] = [:], seen: [AuditResult.Kind: Int] = [:]
        for f in audit?.findings ?? [] {
            let place = seen[f.kind, default: 0]
            seen[f.kind] = place + 1
            for id in f.runs { byRun[id, default: []].append(f); places[id, default: []].append(place) }
        }
        findingsByRun = byRun
        findingPlaces = places
        definitions = documents.compactMapValues { doc in
            (try? JSONSerialization.jsonObject(with: Data(doc.utf8)) as? [String: Any])?["definition"] as? String
        }
    }

    subscript(key: AnalysisKey) -> String? { text[key] }

    /// Whether `name` has one document per method rather than one for both.
    func isPerMethod(_ name: String) -> Bool { text.keys.contains { $0.name == name && $0.method != nil } }
}
