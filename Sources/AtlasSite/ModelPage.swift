import Mustache

/// `model.mustache`: one model's configuration, scores, neighbours and epoch chart.
struct ModelPage: MustacheParent {
    var layout: LayoutContext
    var name: String
    var id: String
    var json: String
    var isBase: Bool
    /// The base model's Hugging Face repository ("" when unknown).
    var repository: String
    /// Pre-rendered tables.
    var config: String
    var scores: String
    var neighbours: String?
    var trajectory: FigureContext?
    /// A comparison with the neighbours, when there are any.
    var compare: String?
    /// A user's run: where each of its scores came from (nil for the release's runs).
    var provenance: String? = nil
    /// The audit's findings about this run, one sentence each, and where they are listed.
    var findings: [Finding] = []
    var qualityHref: String = ""

    /// One finding: its anchor on this page (the score flags link to it), its kind's title, its sentence,
    /// and its kind's table on `/quality/`.
    struct Finding: MustacheParent {
        var anchor: String
        var kind: String
        var detail: String
        var href: String
        func child(named name: String) -> Any? {
            switch name {
            case "anchor": return anchor
            case "kind": return kind
            case "detail": return detail
            case "href": return href
            default: return nil
            }
        }
    }

    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "id": return id
        case "json": return json
        case "isBase": return isBase
        case "repository": return repository
        case "config": return config
        case "scores": return scores
        case "neighbours": return neighbours ?? false
        case "trajectory": return trajectory ?? false
        case "compare": return compare ?? false
        case "isUser": return provenance != nil
        case "provenance": return provenance ?? false
        case "hasFindings": return !findings.isEmpty
        case "findings": return findings
        case "qualityHref": return qualityHref
        default: return layout.child(named: name)
        }
    }
}
