import AtlasDomain

extension Route {
    /// The route of a decoded path (as the server hands it over: no "." or ".." segments, empty segments
    /// collapsed), or a 404 naming it. The query is not read here.
    public static func parse(_ path: String) -> Result<Route, SiteError> {
        let p = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let folder = path.hasSuffix("/")
        let found: Route?
        switch p.count {
        case 0:
            found = .home
        case 1 where folder:
            found = ["models": .catalog, "bases": .bases, "datasets": .datasets, "benchmarks": .benchmarks, "figures": .figures,
                     "claims": .claims, "quality": .quality, "downloads": .downloads, "compare": .compare, "explore": .explore][p[0]]
        case 1:
            if p[0] == "robots.txt" { return .success(.robots) }
            if p[0] == "favicon.ico" { return .success(.favicon) }
            if ["models", "bases", "datasets", "benchmarks", "figures", "claims", "quality", "downloads", "compare", "explore"].contains(p[0]) {
                return .failure(.notFound("\(path) (did you mean \(path)/?)"))
            }
            found = nil
        case 2 where folder:
            switch p[0] {
            case "models": found = .model(p[1])
            case "bases": found = .base(p[1])
            case "datasets": found = .dataset(p[1])
            case "benchmarks": found = .benchmark(p[1])
            case "figures": found = .figure(p[1])
            case "quality": found = .qualityKind(p[1], 1)
            default: found = nil
            }
        case 2:
            switch p[0] {
            case "figures": found = ChartFile.split(p[1]).map { .figureFile($0.stem, $0.file) }
            case "downloads": found = .download(p[1])
            case "compare": found = ChartFile.split(p[1]).flatMap { $0.stem == "chart" && $0.file != .csv ? .compareChart($0.file) : nil }
            case "explore": found = ChartFile.split(p[1]).flatMap { $0.stem == "chart" ? .exploreChart($0.file) : nil }
            case "public": found = .asset(p[1])
            default: found = nil
            }
        case 3 where folder && p[0] == "models" && p[1] == "page":
            found = Int(p[2]).flatMap { (2...Site.maxPage).contains($0) && String($0) == p[2] ? .catalogPage($0) : nil }
        case 4 where folder && p[0] == "quality" && p[2] == "page":
            found = Int(p[3]).flatMap { (2...Site.maxPage).contains($0) && String($0) == p[3] ? .qualityKind(p[1], $0) : nil }
        case 3 where !folder && p[0] == "models":
            found = ChartFile.split(p[2]).flatMap { $0.stem == "epochs" ? .modelChart(p[1], $0.file) : nil }
        case 3 where !folder && p[0] != "api":
            found = PageChartKind(rawValue: p[0]).flatMap { kind in
                ChartFile.split(p[2]).flatMap { $0.stem == "chart" ? .pageChart(kind, p[1], $0.file) : nil }
            }
        default:
            found = nil
        }
        if let found { return .success(found) }
        if p.count >= 3, p[0] == "api", p[1] == "v1", !folder, let api = API.parse(Array(p.dropFirst(2))) { return .success(.api(api)) }
        return .failure(.notFound(path))
    }
}

extension Route.API {
    /// The segments after `/api/v1/`.
    static func parse(_ p: [String]) -> Route.API? {
        func stem(_ file: String, _ ending: String) -> String? {
            file.hasSuffix(ending) && file.count > ending.count ? String(file.dropLast(ending.count)) : nil
        }
        switch p.count {
        case 1:
            if p[0] == "openapi.json" { return .openapi }
            if p[0] == "catalog.json" || p[0] == "catalog.js" { return .catalog(script: p[0] == "catalog.js") }
            let dot = p[0].split(separator: ".", maxSplits: 1).map(String.init)
            guard dot.count == 2, let format = Format(rawValue: dot[1]) else { return nil }
            if dot[0] == "models" { return .models(format) }
            if dot[0] == "quality" { return .quality(format) }
            return Registry(rawValue: dot[0]).map { .registry($0, format) }
        case 2 where p[0] == "models":
            return stem(p[1], ".json").map { .model($0) }
        case 2 where p[0] == "analysis":
            return stem(p[1], ".json").map { .analysis($0) }
        case 3 where p[0] == "analysis":
            return stem(p[2], ".json").flatMap(Method.init(rawValue:)).map { .analysisByMethod(p[1], $0) }
        default:
            return nil
        }
    }
}
