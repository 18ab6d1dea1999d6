import AtlasStore

/// The catalog's view: facet filters, text search, numeric filters, scores or gains, sort, page and
/// columns, read from (and written back to) a query string. The server's catalog and API, and the
/// browser's catalog on a written site (`Public/atlas.js`), read the same parameters the same way.
public struct CatalogView: Hashable, Sendable {
    /// The facet filters: values ORed within a dimension, dimensions ANDed.
    var filter = RunFilter()
    /// `q`: lowercased words, each of which must occur in the run's id or its base's or dataset's name.
    var words: [String] = []
    /// `findings=yes|no`: only runs the audit flags, or only runs it does not.
    var flagged: Bool?
    /// `finding=<kind>` (repeatable, ORed): only runs with a finding of one of these kinds, in the kinds' order.
    var findingKinds: [String] = []
    /// Numeric filters (`<column>__gte=` and so on), ANDed, in canonical order.
    var bounds: [Bound] = []
    /// `view=gain`: each run's gain over its base model instead of its score.
    var gain = false
    var sort = Sort()
    /// The API's page: `limit` (`Int.max` when not given) and `offset`.
    var limit = 50
    var offset = 0
    /// The HTML catalog's page, from 1.
    var page = 1
    /// Column ids shown; the main benchmarks by default.
    var columns: [String]
    var columnsChosen = false

    /// The order of a listing. Missing values sort last in either direction; ties keep canonical order
    /// (reversed along with the rest when descending).
    struct Sort: Hashable, Sendable {
        enum Key: Hashable, Sendable {
            /// Base, dataset, method, samples, schedule, epochs: the order runs are stored in.
            case canonical
            case dimension(FacetDimension)
            case column(String)
            /// The normalized mean of the shown columns.
            case average
        }
        var key = Key.canonical
        var descending = false

        /// The `sort` parameter's value; "" for the canonical order.
        var parameter: String {
            switch key {
            case .canonical: return ""
            case .dimension(let d): return d.rawValue
            case .column(let id): return id
            case .average: return CatalogView.average
            }
        }
    }

    /// A numeric filter: `<column>__<op>=<value>`, where the column is a score column's id or `average`.
    struct Bound: Hashable, Sendable {
        enum Op: String, Hashable, Sendable, CaseIterable {
            case gte, gt, lte, lt, isnull
        }
        var column: String
        var op: Op
        /// The bound; for `isnull`, 1 (must be missing) or 0 (must be present).
        var value: Double

        var parameter: String { column + "__" + op.rawValue }

        /// Whether a value (nil when missing) passes.
        func admits(_ v: Double?) -> Bool {
            switch op {
            case .isnull: return (v == nil) == (value != 0)
            case .gte: return v.map { $0 >= value } ?? false
            case .gt: return v.map { $0 > value } ?? false
            case .lte: return v.map { $0 <= value } ?? false
            case .lt: return v.map { $0 < value } ?? false
            }
        }
    }

    /// The pseudo-column of the normalized mean, for `sort=` and numeric filters.
    static let average = "average"

    /// `q` in its one spelling: the words, lowercased, one space apart.
    var search: String { words.joined(separator: " ") }

    /// The query pairs that reproduce this view (for permalinks and the CSV/JSON twins), in the one
    /// order: facets, q, numeric filters, view, sort and order, columns, page.
    func pairs(page: Int? = nil, includePaging: Bool = true) -> [(String, String)] {
        var out: [(String, String)] = []
        for d in FacetDimension.allCases {
            for v in filter.values[d] ?? [] { out.append((d.rawValue, v)) }
        }
        if !words.isEmpty { out.append(("q", search)) }
        if let flagged { out.append(("findings", flagged ? "yes" : "no")) }
        for k in findingKinds { out.append(("finding", k)) }
        for b in bounds { out.append((b.parameter, NumberText.plain(b.value))) }
        if gain { out.append(("view", "gain")) }
        if sort.key != .canonical {
            out.append(("sort", sort.parameter))
            out.append(("order", sort.descending ? "desc" : "asc"))
        } else if sort.descending {
            out.append(("order", "desc")) // the canonical order, reversed
        }
        if columnsChosen { out.append(("cols", columns.joined(separator: ","))) }
        if includePaging, let page, page > 1 { out.append(("page", String(page))) }
        return out
    }
}
