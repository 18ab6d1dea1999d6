import AtlasStore

extension Site {
    /// Reads a decoded path and query as a request, or the error to answer with: a 404 for an unknown
    /// path, a 400 naming the parameter for a query its route does not take or a value it cannot be.
    public func read(path: String, query given: [(name: String, value: String)]) -> Result<Request, SiteError> {
        // Parameters that link trackers add on the way (a shared link's utm_source, fbclid…) are dropped, so such
        // a link still opens its page; they are no part of the request, its cache key or its canonical form.
        let query = given.filter { !Self.isTrackingParameter($0.name) }
        return Result {
            let route = try Route.parse(path).get()
            switch route {
            case .catalog:
                return Request(route, .catalog(try catalogView(query, api: false)))
            case .api(.models):
                return Request(route, .catalog(try catalogView(query, api: true)))
            case .compare:
                return Request(route, .compare(query.isEmpty ? [] : try comparedIDs(query)))
            case .compareChart:
                return Request(route, .compare(try comparedIDs(query)))
            case .explore, .exploreChart:
                return Request(route, .explore(try exploreView(query)))
            case .api(.analysis(let name)):
                return Request(route, .analysis(try analysisMethod(name, query)))
            default:
                if let first = query.first { throw SiteError.unexpectedParameter(first.name) }
                return Request(route)
            }
        }.mapError { $0 as? SiteError ?? .internalError("the request could not be read: \($0)") }
    }

    /// Whether a parameter is one that campaign and click trackers append to links.
    static func isTrackingParameter(_ name: String) -> Bool {
        name.hasPrefix("utm_") || ["fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "twclid", "_ga", "_gl"].contains(name)
    }

    /// The one spelling of a request that has several: the link of the request it reads as (so parameter
    /// order, repeated values and percent-encoding give one target). Nil when the request is refused.
    public func canonicalTarget(path: String, query: [(name: String, value: String)]) -> String? {
        guard case .success(let request) = read(path: path, query: query) else { return nil }
        return Links().url(request)
    }

    /// The ids of `ids` (2 to 8 known models), or a 400 naming the parameter.
    func comparedIDs(_ query: [(name: String, value: String)]) throws -> [String] {
        if let other = query.first(where: { $0.name != "ids" }) { throw SiteError.unknownParameter(name: other.name, valid: ["ids"]) }
        let ids = query.filter { $0.name == "ids" }.flatMap { $0.value.split(separator: ",").map(String.init) }
        guard (2...8).contains(ids.count) else {
            throw SiteError.badParameter(name: "ids", value: ids.joined(separator: ","), valid: ["2 to 8 model ids, comma-separated"])
        }
        for id in ids where runs.position[id] == nil {
            throw SiteError.badParameter(name: "ids", value: id, valid: ["model ids such as \(rows.first?.run.id ?? "")"])
        }
        return ids
    }

    /// An analysis document's method: required (and one of the methods) for one analysed per method,
    /// refused for one that covers both; a 404 for an analysis that does not exist.
    func analysisMethod(_ name: String, _ query: [(name: String, value: String)]) throws -> Method? {
        if let other = query.first(where: { $0.name != "method" }) {
            throw analyses.isPerMethod(name) ? SiteError.unknownParameter(name: other.name, valid: ["method"]) : SiteError.unexpectedParameter(other.name)
        }
        let methods = query.map(\.value)
        if analyses.isPerMethod(name) {
            if methods.isEmpty { throw SiteError.missingParameter(name: "method", valid: Method.allCases.map(\.rawValue)) }
            guard methods.count == 1, let method = Method(rawValue: methods[0]), analyses[AnalysisKey(name, method)] != nil else {
                throw SiteError.badParameter(name: "method", value: methods.joined(separator: ","), valid: Method.allCases.map(\.rawValue))
            }
            return method
        }
        guard analyses[AnalysisKey(name)] != nil else { throw SiteError.notFound(Route.api(.analysis(name)).path) }
        if let m = methods.first { throw SiteError.badParameter(name: "method", value: m, valid: ["(none: this analysis covers both methods)"]) }
        return nil
    }
}
