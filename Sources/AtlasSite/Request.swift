import AtlasDomain

/// A request as the site answers it: a route, and its query read into a typed value. The site reads a
/// path and query into one (`Site.read`), answers one (`Site.respond(to:links:)`), and links to one
/// (`Links.url(_: Request)`), so equivalent spellings of a query read as one request, and that request's
/// link is their canonical form: the response cache's key.
public struct Request: Hashable, Sendable {
    public var route: Route
    public var query: Query

    /// What a route's query says. Routes that take none have `.none`.
    public enum Query: Hashable, Sendable {
        case none
        /// The catalog page's view (paged by `page`), or the models API's (paged by `limit` and `offset`).
        case catalog(CatalogView)
        /// The compared models' ids, in the order given; empty for the compare page's chooser.
        case compare([String])
        /// The method of a per-method analysis; nil for one that covers both.
        case analysis(Method?)
        /// The scatter explorer's axes, colour and filters.
        case explore(ExploreView)
    }

    public init(_ route: Route, _ query: Query = .none) {
        self.route = route
        self.query = query
    }

    /// The query's name–value pairs in their one spelling: facets in their order, each facet's values in
    /// theirs, defaults left out.
    public var pairs: [(String, String)] {
        switch query {
        case .none:
            return []
        case .catalog(let view):
            guard case .api(.models) = route else { return view.pairs(page: view.page) }
            var pairs = view.pairs(includePaging: false)
            if view.limit != Int.max { pairs.append(("limit", String(view.limit))) }
            if view.offset > 0 { pairs.append(("offset", String(view.offset))) }
            return pairs
        case .compare(let ids):
            return ids.isEmpty ? [] : [("ids", ids.joined(separator: ","))]
        case .analysis(let method):
            return method.map { [("method", $0.rawValue)] } ?? []
        case .explore(let view):
            return view.pairs
        }
    }
}

extension Links {
    /// The link to `request`: its route's, and its query in its one spelling.
    public func url(_ request: Request) -> String {
        url(request.route) + Links.query(request.pairs)
    }
}
