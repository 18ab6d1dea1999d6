import Mustache

/// `figures.mustache`: a contents list, then each group of figures as a grid of thumbnails with short titles.
struct FiguresPage: MustacheParent {
    struct Thumbnail: MustacheParent {
        var href: String
        var png: String
        var png2x: String
        var title: String
        var alt: String
        func child(named name: String) -> Any? {
            switch name {
            case "href": return href
            case "png": return png
            case "png2x": return png2x
            case "title": return title
            case "alt": return alt
            default: return nil
            }
        }
    }

    struct Group: MustacheParent {
        var id: String
        var title: String
        var intro: String
        var figures: [Thumbnail]
        func child(named name: String) -> Any? {
            switch name {
            case "id": return id
            case "title": return title
            case "intro": return intro
            case "count": return figures.count
            case "figures": return figures
            default: return nil
            }
        }
    }

    var layout: LayoutContext
    var groups: [Group]
    /// Definitions as HTML (inline code rendered).
    var definitions: [(term: String, html: String)]

    func child(named name: String) -> Any? {
        switch name {
        case "groups": return groups
        case "definitions": return definitions.isEmpty ? false : GenericPage.Items(items: definitions.map { GenericPage.Definition(term: $0.term, text: $0.html) })
        default: return layout.child(named: name)
        }
    }
}
