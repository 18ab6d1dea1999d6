import AtlasAnalysis
import AtlasStore

extension Site {
    static let facetParameters = FacetDimension.allCases.map(\.rawValue)
    /// Bounds on the paging parameters, so that `(page - 1) * 50` and `offset + limit` cannot overflow.
    static let maxPage = 1_000_000, maxLimit = 1_000_000, maxOffset = 1_000_000_000
    /// The longest `q`, in characters (Unicode scalars, as JSON Schema's maxLength counts): at most 100 words.
    static let maxSearchLength = 200
    /// Numeric filters' values lie within ±1e9.
    static let maxBound = 1e9

    /// Reads the catalog view from a query; any unknown name or value is a 400 naming the parameter and
    /// what it may be.
    /// `others` are the parameters the page reads itself (the explorer's x, y and color): an unknown name's error
    /// lists them with the filters, and leaves out the catalog's paging and sorting, which such a page refuses.
    func catalogView(_ query: [(name: String, value: String)], api: Bool, others: [String]? = nil) throws -> CatalogView {
        var view = CatalogView(columns: db.columns.filter(\.isMain).map(\.id))
        var values: [FacetDimension: [String]] = [:]
        for (name, value) in query {
            // A form sends its empty boxes: an empty search, bound, sort or view is not a filter.
            if value.isEmpty && (name == "q" || name == "sort" || name == "view" || name == "findings" || name.contains("__")) { continue }
            if let d = FacetDimension(rawValue: name) {
                let valid = facetValues[d] ?? []
                guard valid.contains(value) else { throw SiteError.badParameter(name: name, value: value, valid: valid) }
                if !(values[d] ?? []).contains(value) { values[d, default: []].append(value) }
                continue
            }
            if let bound = try bound(name, value) {
                if !view.bounds.contains(bound) { view.bounds.append(bound) }
                continue
            }
            switch name {
            case "q":
                // Control characters are no words (and the server refuses a NUL before the site reads anything).
                guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                    throw SiteError.badParameter(name: "q", value: "(a control character)", valid: ["words without control characters"])
                }
                guard value.unicodeScalars.count <= Self.maxSearchLength, view.search.unicodeScalars.count + value.unicodeScalars.count <= Self.maxSearchLength else {
                    throw SiteError.badParameter(name: "q", value: String(value.prefix(40)) + "…", valid: ["words to search for, at most \(Self.maxSearchLength) characters"])
                }
                for w in value.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init) where !view.words.contains(w) {
                    view.words.append(w)
                }
            case "findings":
                guard value == "yes" || value == "no" else { throw SiteError.badParameter(name: "findings", value: value, valid: ["yes", "no"]) }
                view.flagged = value == "yes"
            case "finding":
                let kinds = AuditResult.Kind.allCases.map(\.rawValue)
                guard kinds.contains(value) else { throw SiteError.badParameter(name: "finding", value: value, valid: kinds) }
                if !view.findingKinds.contains(value) { view.findingKinds.append(value) }
            case "view":
                guard value == "gain" || value == "scores" else { throw SiteError.badParameter(name: "view", value: value, valid: ["scores", "gain"]) }
                view.gain = value == "gain"
            case "sort":
                if db.column(id: value) != nil {
                    view.sort.key = .column(value)
                } else if let d = FacetDimension(rawValue: value) {
                    view.sort.key = .dimension(d)
                } else if value == CatalogView.average {
                    view.sort.key = .average
                } else {
                    throw SiteError.badParameter(name: "sort", value: value, valid: Self.facetParameters + [CatalogView.average] + db.columns.map(\.id))
                }
            case "order":
                guard value == "asc" || value == "desc" else { throw SiteError.badParameter(name: "order", value: value, valid: ["asc", "desc"]) }
                view.sort.descending = value == "desc"
            case "page" where !api:
                guard let p = Int(value), (1...Self.maxPage).contains(p) else {
                    throw SiteError.badParameter(name: "page", value: value, valid: ["a whole number from 1 to \(Self.maxPage)"])
                }
                view.page = p
            case "limit" where api:
                guard let l = Int(value), (0...Self.maxLimit).contains(l) else {
                    throw SiteError.badParameter(name: "limit", value: value, valid: ["a whole number from 0 to \(Self.maxLimit)"])
                }
                view.limit = l
            case "offset" where api:
                guard let o = Int(value), (0...Self.maxOffset).contains(o) else {
                    throw SiteError.badParameter(name: "offset", value: value, valid: ["a whole number from 0 to \(Self.maxOffset)"])
                }
                view.offset = o
            case "cols", "col":
                if !view.columnsChosen { view.columns = [] }
                view.columnsChosen = true
                for id in value.split(separator: ",").map(String.init) where !id.isEmpty {
                    guard db.column(id: id) != nil else { throw SiteError.badParameter(name: name, value: id, valid: db.columns.map(\.id)) }
                    if !view.columns.contains(id) { view.columns.append(id) }
                }
            default:
                let valid = others.map { Self.facetParameters + ["q", "findings", "finding"] + $0 }
                    ?? Self.facetParameters + ["q", "findings", "finding", "view", "sort", "order"] + (api ? ["limit", "offset"] : ["page"]) + ["cols"]
                throw SiteError.unknownParameter(name: name, valid: valid.map { "\($0)=…" } + ["<column>__gte=…, __gt, __lte, __lt, __isnull=1"])
            }
        }
        // A facet's values are ORed: kept in the facet's own order, so that any order of them is one view.
        for (d, chosen) in values {
            let order = Dictionary(uniqueKeysWithValues: (facetValues[d] ?? []).enumerated().map { ($1, $0) })
            values[d] = chosen.sorted { order[$0, default: 0] < order[$1, default: 0] }
        }
        view.filter = RunFilter(values)
        let kindOrder = AuditResult.Kind.allCases.map(\.rawValue)
        view.findingKinds.sort { (kindOrder.firstIndex(of: $0) ?? 0) < (kindOrder.firstIndex(of: $1) ?? 0) }
        // Bounds in one order: `average` first, then the columns' registry order; each column's by operator.
        let position = catalogIndex.columnPosition
        func rank(_ b: CatalogView.Bound) -> (Int, Int, Double) {
            (b.column == CatalogView.average ? -1 : position[b.column] ?? 0, CatalogView.Bound.Op.allCases.firstIndex(of: b.op) ?? 0, b.value)
        }
        view.bounds.sort { rank($0) < rank($1) }
        if api {
            if !query.contains(where: { $0.name == "limit" }) { view.limit = Int.max }
        } else {
            view.offset = (view.page - 1) * view.limit
        }
        return view
    }

    /// A numeric filter, `<column>__<op>=<value>`; nil when `name` is not one (no "__" in it).
    private func bound(_ name: String, _ value: String) throws -> CatalogView.Bound? {
        guard let split = name.range(of: "__") else { return nil }
        let column = String(name[..<split.lowerBound]), suffix = String(name[split.upperBound...])
        guard column == CatalogView.average || db.column(id: column) != nil else {
            throw SiteError.badParameter(name: name, value: value, valid: ([CatalogView.average] + db.columns.map(\.id)).map { "\($0)__…" })
        }
        guard let op = CatalogView.Bound.Op(rawValue: suffix) else {
            throw SiteError.badParameter(name: name, value: value, valid: CatalogView.Bound.Op.allCases.map { "\(column)__\($0.rawValue)" })
        }
        if op == .isnull {
            guard value == "1" || value == "0" else { throw SiteError.badParameter(name: name, value: value, valid: ["1 (missing)", "0 (present)"]) }
            return CatalogView.Bound(column: column, op: op, value: value == "1" ? 1 : 0)
        }
        guard let v = Self.decimal(value), abs(v) <= Self.maxBound else {
            throw SiteError.badParameter(name: name, value: value, valid: ["a decimal number from -1e9 to 1e9, such as 50 or 0.25"])
        }
        return CatalogView.Bound(column: column, op: op, value: v == 0 ? 0 : v) // -0 reads as 0
    }

    /// A plain decimal number (`-12`, `0.5`, `.5`, `1e3`), nothing else: no hex, no "nan", no "inf", no
    /// spaces, the same grammar `atlas.js` accepts.
    static func decimal(_ s: String) -> Double? {
        var digits = 0, seenPoint = false, seenExponent = false, exponentDigits = 0, previous: UInt8 = 0
        for (i, c) in s.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenExponent { exponentDigits += 1 } else { digits += 1 }
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard i == 0 || previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E") else { return nil }
            case UInt8(ascii: "."):
                guard !seenPoint, !seenExponent else { return nil }
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard !seenExponent, digits > 0 else { return nil }
                seenExponent = true
            default:
                return nil
            }
            previous = c
        }
        guard digits > 0, !seenExponent || exponentDigits > 0, s.utf8.count <= 40, let v = Double(s), v.isFinite else { return nil }
        return v
    }
}
