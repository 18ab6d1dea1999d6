/// The paper's figures, drawn once at start-up, in the order the figures page lists them.
struct FigureSet: Sendable {
    let entries: [Figures.Entry]
    private let index: [String: Int]

    init(_ entries: [Figures.Entry]) {
        self.entries = entries
        index = Dictionary(entries.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The figure named `name` (its page's path segment), or nil.
    subscript(name: String) -> Figures.Entry? { index[name].map { entries[$0] } }
}
