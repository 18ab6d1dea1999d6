import AtlasStore

extension Site {
    /// The one spelling of a request that has several, for keying kept answers: the route's path and the
    /// query as its page reads it (facets in their order, each facet's values in theirs, repeats dropped,
    /// defaults left out, `col` and `cols` merged), percent-encoded. Two requests with the same canonical
    /// target get byte-identical answers. Nil when the request is not answered 200 (nothing to share).
    public func canonicalTarget(path: String, query: [(name: String, value: String)]) -> String? {
        guard case .success(let route) = Route.parse(path) else { return nil }
        guard !query.isEmpty else { return route.path }
        guard route.takesQuery else { return nil }
        do {
            switch route {
            case .catalog:
                let view = try catalogView(query, api: false)
                return route.path + Links.query(view.pairs(page: view.page))
            case .api(.models):
                let view = try catalogView(query, api: true)
                var pairs = view.pairs(includePaging: false)
                if query.contains(where: { $0.name == "limit" }) { pairs.append(("limit", String(view.limit))) }
                if view.offset > 0 { pairs.append(("offset", String(view.offset))) }
                return route.path + Links.query(pairs)
            case .compare, .compareChart:
                return route.path + Links.query([("ids", try comparedRows(query).map(\.run.id).joined(separator: ","))])
            case .api(.analysis):
                return route.path + Links.query(query.map { ($0.name, $0.value) })
            default:
                return nil
            }
        } catch {
            return nil
        }
    }
}
