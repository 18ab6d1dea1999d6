import Mustache

/// Typed page contexts: each answers Mustache's lookups by name (fast, unlike reflection), and returns
/// `false` rather than nil for an absent optional, so that a lookup does not fall through to an outer
/// context that happens to have the same name.

/// What every page's layout reads: the site's links, the synthetic-data banner, the note on the data.
struct LayoutContext: MustacheParent {
    struct Link: MustacheParent {
        var label: String
        var href: String
        func child(named name: String) -> Any? { name == "label" ? label : name == "href" ? href : nil }
    }

    struct Alternate: MustacheParent {
        var type: String
        var href: String
        func child(named name: String) -> Any? { name == "type" ? type : name == "href" ? href : nil }
    }

    var root: String
    var home: String
    var asset: String
    var synthetic: Bool
    var version: String
    var written: Bool
    var nav: [Link]
    var modelsHref: String
    var figuresHref: String
    var claimsHref: String
    var downloadsHref: String
    var dataNote: String
    /// The page's JSON and CSV twins, for `<link rel="alternate">`.
    var alternates: [Alternate] = []

    func child(named name: String) -> Any? {
        switch name {
        case "root": return root
        case "home": return home
        case "asset": return asset
        case "synthetic": return synthetic
        case "version": return version
        case "written": return written
        case "nav": return nav
        case "modelsHref": return modelsHref
        case "figuresHref": return figuresHref
        case "claimsHref": return claimsHref
        case "downloadsHref": return downloadsHref
        case "dataNote": return dataNote
        case "alternates": return alternates
        default: return nil
        }
    }

    /// The same values as a dictionary, for the pages whose contexts are not typed yet.
    var dictionary: [String: Any] {
        ["root": root, "home": home, "asset": asset, "synthetic": synthetic, "version": version, "written": written,
         "nav": nav.map { ["label": $0.label, "href": $0.href] }, "modelsHref": modelsHref, "figuresHref": figuresHref,
         "claimsHref": claimsHref, "downloadsHref": downloadsHref, "dataNote": dataNote]
    }
}

/// A figure or chart shown on a page: the 2× PNG it links to, the 1× and 2× images, its caption.
struct FigureContext: MustacheParent {
    var href: String
    var png: String
    var png2x: String
    var csv: String?
    var alt: String
    var caption: String

    func child(named name: String) -> Any? {
        switch name {
        case "href": return href
        case "png": return png
        case "png2x": return png2x
        case "csv": return csv ?? false
        case "alt": return alt
        case "caption": return caption
        default: return nil
        }
    }
}

/// `page.mustache`: a heading, an introduction, links, figures, tables and definitions.
struct GenericPage: MustacheParent {
    struct Items<Item>: MustacheParent {
        var items: [Item]
        func child(named name: String) -> Any? { name == "items" ? items : nil }
    }

    struct Definition: MustacheParent {
        var term: String
        var text: String
        func child(named name: String) -> Any? { name == "term" ? term : name == "text" ? text : nil }
    }

    var layout: LayoutContext
    var heading: String
    var intro: String?
    var links: [LayoutContext.Link]
    var figures: [FigureContext]
    var tables: [RenderedTable]
    var definitions: [Definition]

    func child(named name: String) -> Any? {
        switch name {
        case "heading": return heading
        case "intro": return intro ?? false
        case "links": return links.isEmpty ? false : Items(items: links)
        case "figures": return figures
        case "tables": return tables
        case "definitions": return definitions.isEmpty ? false : Items(items: definitions)
        default: return layout.child(named: name)
        }
    }
}

/// `error.mustache`: what went wrong, and for a bad parameter its valid values.
struct ErrorPage: MustacheParent {
    struct Valid: MustacheParent {
        var parameter: String
        var values: [String]
        func child(named name: String) -> Any? { name == "parameter" ? parameter : name == "values" ? values : nil }
    }

    var layout: LayoutContext
    var heading: String
    var message: String
    var valid: Valid?

    func child(named name: String) -> Any? {
        switch name {
        case "heading": return heading
        case "message": return message
        case "valid": return valid ?? false
        default: return layout.child(named: name)
        }
    }
}
