import AtlasStore

/// The scatter explorer's view: two axes (score columns or `average`), the facet that colours the
/// points, and the catalog's filters (facets, `q`, numeric bounds, `view=gain`, `cols` for the average).
public struct ExploreView: Hashable, Sendable {
    var catalog: CatalogView
    var x: String
    var y: String
    var color: FacetDimension
    /// The axes when none are given: the first two main columns.
    var defaultX: String
    var defaultY: String

    /// The query in its one spelling: the catalog's filters, then the axes and colour where not the defaults.
    var pairs: [(String, String)] {
        var out = catalog.pairs(includePaging: false)
        if x != defaultX { out.append(("x", x)) }
        if y != defaultY { out.append(("y", y)) }
        if color != .base { out.append(("color", color.rawValue)) }
        return out
    }
}

extension Site {
    /// Reads the explorer's view: `x`, `y`, `color`, and every catalog filter (but no sort or paging, which
    /// a scatter has no use for).
    func exploreView(_ query: [(name: String, value: String)]) throws -> ExploreView {
        let main = db.columns.filter(\.isMain).map(\.id)
        let axes = [CatalogView.average] + db.columns.map(\.id)
        var x = main.first ?? db.columns.first?.id ?? CatalogView.average
        var y = main.dropFirst().first ?? CatalogView.average
        let (defaultX, defaultY) = (x, y)
        var color = FacetDimension.base
        var rest: [(name: String, value: String)] = []
        for (name, value) in query {
            switch name {
            case "x", "y":
                if value.isEmpty { continue }
                guard axes.contains(value) else { throw SiteError.badParameter(name: name, value: value, valid: axes) }
                if name == "x" { x = value } else { y = value }
            case "color":
                if value.isEmpty { continue }
                guard let d = FacetDimension(rawValue: value) else { throw SiteError.badParameter(name: name, value: value, valid: Self.facetParameters) }
                color = d
            case "sort", "order", "page":
                throw SiteError.badParameter(name: name, value: value, valid: ["(none: the explorer plots every matching model)"])
            default:
                rest.append((name, value))
            }
        }
        return ExploreView(catalog: try catalogView(rest, api: false, others: ["x", "y", "color"]), x: x, y: y, color: color, defaultX: defaultX, defaultY: defaultY)
    }
}
