import Mustache

/// `explore.mustache`: the axis and colour choices, the search, the chart with its image map, and links.
struct ExplorePage: MustacheParent {
    struct Option: MustacheParent {
        var value: String
        var label: String
        var selected: Bool
        func child(named name: String) -> Any? {
            switch name {
            case "value": return value
            case "label": return label
            case "selected": return selected
            default: return nil
            }
        }
    }
    struct Hidden: MustacheParent {
        var name: String
        var value: String
        func child(named key: String) -> Any? { key == "name" ? name : key == "value" ? value : nil }
    }

    var layout: LayoutContext
    var action: String
    var search: String
    var gain: Bool
    var xOptions: [(String, String, Bool)]
    var yOptions: [(String, String, Bool)]
    var colorOptions: [(String, String, Bool)]
    /// The view's other filters, kept as hidden fields.
    var hidden: [(String, String)]
    var plotted: Int
    var matching: Int
    var all: Int
    var png: String
    var png2x: String
    var csv: String
    var alt: String
    /// The image map's `<area>` elements, pre-rendered (escaped) HTML.
    var areas: String
    /// The same filters in the catalog.
    var catalog: String
    var catalogJSON: String
    var catalogJS: String

    func child(named name: String) -> Any? {
        func options(_ o: [(String, String, Bool)]) -> [Option] { o.map { Option(value: $0.0, label: $0.1, selected: $0.2) } }
        switch name {
        case "action": return action
        case "search": return search
        case "gain": return gain
        case "xOptions": return options(xOptions)
        case "yOptions": return options(yOptions)
        case "colorOptions": return options(colorOptions)
        case "hidden": return hidden.map { Hidden(name: $0.0, value: $0.1) }
        case "plotted": return plotted
        case "matching": return matching
        case "all": return all
        case "png": return png
        case "png2x": return png2x
        case "csv": return csv
        case "alt": return alt
        case "areas": return areas
        case "catalog": return catalog
        case "catalogJSON": return catalogJSON
        case "catalogJS": return catalogJS
        default: return layout.child(named: name)
        }
    }
}
