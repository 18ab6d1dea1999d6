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
        /// What the values are: "Valid values for method", "Parameters this page takes".
        var lead: String
        var values: [String]
        func child(named name: String) -> Any? { name == "lead" ? lead : name == "values" ? values : nil }
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

/// `home.mustache`: the headline counts and the key figures.
struct HomePage: MustacheParent {
    var layout: LayoutContext
    var bases: Int
    var datasetCount: Int
    /// The release's score columns (the lead); `columns` counts every column, a user's included.
    var studyColumns: Int
    var columns: Int
    var tuned: Int
    var baseRows: Int
    var figureCount: Int
    var keyFigures: [FigureContext]

    func child(named name: String) -> Any? {
        switch name {
        case "bases": return bases
        case "datasetCount": return datasetCount
        case "studyColumns": return studyColumns
        case "columns": return columns
        case "tuned": return tuned
        case "baseRows": return baseRows
        case "figureCount": return figureCount
        case "keyFigures": return keyFigures
        default: return layout.child(named: name)
        }
    }
}

/// `compare.mustache`: the chooser and, with ids, the table and chart of the compared models.
struct ComparePage: MustacheParent {
    var layout: LayoutContext
    var heading: String
    /// Where the chooser's form goes.
    var action: String
    var catalogJSON: String
    var catalogJS: String
    /// Ids to suggest in the empty chooser.
    var example: String
    /// The compared ids, comma-separated; nil for the chooser alone.
    var ids: String?
    var table: String?
    var chart: FigureContext?
    /// Why a comparison could not be made (the page is then a 400).
    var notice: String? = nil

    func child(named name: String) -> Any? {
        switch name {
        case "notice": return notice ?? false
        case "heading": return heading
        case "action": return action
        case "catalogJSON": return catalogJSON
        case "catalogJS": return catalogJS
        case "example": return example
        case "ids": return ids ?? ""
        case "table": return table ?? ""
        case "chart": return chart ?? false
        default: return layout.child(named: name)
        }
    }
}

/// `catalog.mustache`: the form (pre-rendered by `CatalogForm`), the table of the view's page, paging and exports.
struct CatalogPage: MustacheParent {
    var layout: LayoutContext
    /// Runs matching the view, and runs in all.
    var total: Int
    var allCount: Int
    var form: CatalogForm
    /// Where the form goes (the catalog itself).
    var action: String
    var table: String
    var page: Int
    var pages: Int
    /// Every page's number and link, and whether it is this one (a written site's no-script pager).
    var pageLinks: [(Int, String, Bool)]
    var previous: String?
    var next: String?
    var permalink: String
    var catalogJSON: String
    var catalogJS: String
    var compareHref: String
    /// The view's every row as CSV and JSON.
    var csv: String
    var json: String
    /// The same models in the scatter explorer.
    var explore: String

    func child(named name: String) -> Any? {
        switch name {
        case "total": return total
        case "allCount": return allCount
        case "formHTML": return form.html
        case "action": return action
        case "table": return table
        case "page": return page
        case "pages": return pages
        case "pagesNav": return !pageLinks.isEmpty
        case "pageLinks": return pageLinks.map { PageLink(number: $0.0, href: $0.1, current: $0.2) }
        case "previous": return previous ?? false
        case "next": return next ?? false
        case "permalink": return permalink
        case "catalogJSON": return catalogJSON
        case "catalogJS": return catalogJS
        case "compareHref": return compareHref
        case "csv": return csv
        case "json": return json
        case "explore": return explore
        default: return layout.child(named: name)
        }
    }
}

/// One entry of the written catalog's pager.
struct PageLink: MustacheParent {
    var number: Int
    var href: String
    var current: Bool
    func child(named name: String) -> Any? {
        switch name {
        case "number": return number
        case "href": return href
        case "current": return current
        default: return nil
        }
    }
}
