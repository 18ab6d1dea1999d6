import AtlasDomain

/// A stored analysis document: its name, and its method for the analyses kept per method.
struct AnalysisKey: Hashable, Comparable, Sendable {
    var name: String
    /// nil for an analysis that covers both methods in one document.
    var method: Method?

    init(_ name: String, _ method: Method? = nil) {
        self.name = name
        self.method = method
    }

    /// Name, then the document without a method before those with one, then the method.
    static func < (a: AnalysisKey, b: AnalysisKey) -> Bool {
        a.name != b.name ? a.name < b.name : (a.method?.rawValue ?? "") < (b.method?.rawValue ?? "")
    }

    /// The route of the document: `analysis/<name>.json`, or `analysis/<name>/<method>.json`.
    var route: Route { .api(method.map { .analysisByMethod(name, $0) } ?? .analysis(name)) }
}
