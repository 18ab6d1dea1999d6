import AtlasAnalysis
import AtlasDomain
import AtlasStore

/// The OpenAPI 3.1 description of `/api/v1/`, made from the route type and the data's own valid values:
/// every parameter the server checks against a list (bases, datasets, methods, epochs, samples, schedules,
/// column ids, model ids, analysis names) is an enum here, and every integer has the server's bounds, so
/// a request the description allows is one the server answers.
enum OpenAPI {
    static func document(site: Site) -> JSON {
        var paths: [(String, JSON)] = []
        func add(_ route: Route, _ summary: String, parameters: [JSON] = [], _ response: JSON) {
            paths.append((template(route), get(summary, parameters, response)))
        }
        let listParameters = catalogParameters(site)
        add(.api(.models(.json)), "Models filtered, sorted and paged like the catalog.", parameters: listParameters,
            ok("Matching models.", "application/json", modelsSchema))
        add(.api(.models(.csv)), "The same as models.json, as CSV.", parameters: listParameters, ok("Matching models.", "text/csv", csvSchema))
        paths.append(("/api/v1/models/{id}.json", get("One model: scores, base scores, gains and neighbours.",
                                                       [parameter("id", in: "path", required: true, enumeration: site.rows.map(\.run.id))],
                                                       ok("The model.", "application/json", anyObject))))
        let registryNames: [Route.API.Registry: String] = [.bases: "Base models", .datasets: "Datasets", .benchmarks: "Score columns"]
        for registry in Route.API.Registry.allCases {
            add(.api(.registry(registry, .json)), "\(registryNames[registry]!).", ok("Registry.", "application/json", arrayOfObjects))
            add(.api(.registry(registry, .csv)), "\(registryNames[registry]!) as CSV.", ok("Registry.", "text/csv", csvSchema))
        }
        // One operation per stored analysis: those kept per method need `method` (or the path form); the others take none.
        let methods = Method.allCases.map(\.rawValue)
        let keys = site.analyses.text.keys
        for name in Set(keys.map(\.name)).sorted() {
            if keys.contains(AnalysisKey(name)) {
                add(.api(.analysis(name)), "The stored analysis '\(name)' (both methods in one document).", ok("The analysis document.", "application/json", anyObject))
            } else {
                add(.api(.analysis(name)), "The stored analysis '\(name)' for one method.",
                    parameters: [parameter("method", in: "query", required: true, enumeration: methods)], ok("The analysis document.", "application/json", anyObject))
                paths.append(("/api/v1/analysis/\(Links.segment(name))/{method}.json",
                              get("The path form of '\(name)' for one method, as a static site has it.",
                                  [parameter("method", in: "path", required: true, enumeration: methods)], ok("The analysis document.", "application/json", anyObject))))
            }
        }
        add(.api(.catalog(script: false)), "Every model with every score in compact arrays, with the columns and facets: what the browser-side catalog reads.",
            ok("The catalog.", "application/json", anyObject))
        add(.api(.quality(.json)), "The audit's findings: duplicated results, collapsed scores, incomplete blocks, scale violations and plan gaps, with each kind's rule.",
            ok("The audit.", "application/json", anyObject))
        add(.api(.quality(.csv)), "The audit's findings as CSV, one row per finding.", ok("The audit.", "text/csv", csvSchema))
        add(.api(.openapi), "This description.", ok("The OpenAPI document.", "application/json", anyObject))
        return .object([
            ("openapi", .string("3.1.0")),
            ("info", .object([("title", .string("SFT Atlas API")), ("version", .string("1")),
                              ("description", .string("Read-only access to the results of the massive-sft study: models, scores, registries and the paper's analyses."))])),
            ("paths", .object(paths)),
        ])
    }

    /// A route's path as an OpenAPI path.
    static func template(_ route: Route) -> String { route.path }

    static func get(_ summary: String, _ parameters: [JSON], _ responses: JSON) -> JSON {
        var operation: [(String, JSON)] = [("summary", .string(summary))]
        if !parameters.isEmpty { operation.append(("parameters", .array(parameters))) }
        operation.append(("responses", responses))
        return .object([("get", .object(operation))])
    }

    static func parameter(_ name: String, in location: String, required: Bool = false, description: String? = nil, enumeration: [String]) -> JSON {
        var fields: [(String, JSON)] = [("name", .string(name)), ("in", .string(location)), ("required", .bool(required))]
        if let description { fields.append(("description", .string(description))) }
        fields.append(("schema", .object([("type", .string("string")), ("enum", .array(enumeration.map { .string($0) }))])))
        return .object(fields)
    }

    /// The catalog's query, as `models.json` and `models.csv` read it.
    static func catalogParameters(_ site: Site) -> [JSON] {
        let facet = { (d: FacetDimension, description: String) -> JSON in
            .object([("name", .string(d.rawValue)), ("in", .string("query")), ("required", .bool(false)), ("explode", .bool(true)),
                     ("description", .string(description + " Repeat to select several (OR); different parameters combine with AND. 'none' selects base models.")),
                     ("schema", .object([("type", .string("array")),
                                         ("items", .object([("type", .string("string")), ("enum", .array((site.facetValues[d] ?? []).map { .string($0) }))]))]))])
        }
        let columnIDs = site.db.columns.map(\.id)
        // Column ids, comma-separated; empty items are skipped (an empty value chooses no columns).
        let one = "(" + columnIDs.map { regexEscaped($0) }.joined(separator: "|") + ")"
        func integer(_ name: String, _ range: ClosedRange<Int>, _ description: String) -> JSON {
            .object([("name", .string(name)), ("in", .string("query")), ("description", .string(description)),
                     ("schema", .object([("type", .string("integer")), ("minimum", .int(range.lowerBound)), ("maximum", .int(range.upperBound))]))])
        }
        // Numeric filters, Datasette-style, on each column and on the average: in the column's own unit (the
        // gain's, with view=gain); `average` on 0–100.
        var bounds: [JSON] = []
        for stem in [CatalogView.average] + columnIDs {
            for op in CatalogView.Bound.Op.allCases {
                let name = stem + "__" + op.rawValue
                if op == .isnull {
                    bounds.append(parameter(name, in: "query", description: "1: only runs where \(stem) is missing; 0: only runs where it is present; empty: no filter.", enumeration: ["0", "1", ""]))
                } else {
                    bounds.append(.object([("name", .string(name)), ("in", .string("query")),
                                           ("description", .string("Only runs whose \(stem) is \(["gte": "at least", "gt": "above", "lte": "at most", "lt": "below"][op.rawValue]!) this; a missing value never passes; empty (as a form sends an empty box): no filter.")),
                                           ("schema", .object([("anyOf", .array([
                                               .object([("type", .string("number")), ("minimum", .number(-Site.maxBound)), ("maximum", .number(Site.maxBound))]),
                                               .object([("const", .string(""))])]))]))]))
                }
            }
        }
        return [
            facet(.base, "Base model id."), facet(.dataset, "Dataset id."), facet(.method, "full or lora."),
            facet(.epochs, "Number of epochs."), facet(.samples, "Training samples."), facet(.schedule, "cosine or constant."),
            facet(.source, "release, or the manifest file a user's runs came from."),
            .object([("name", .string("q")), ("in", .string("query")),
                     ("description", .string("Words to search for, case-insensitive; every word must occur in the model's id or its base's or dataset's name.")),
                     // The server refuses control characters in any query (400, before the site reads it).
                     ("schema", .object([("type", .string("string")), ("maxLength", .int(Site.maxSearchLength)), ("pattern", .string("^[^\\x00-\\x1F\\x7F]*$"))]))]),
            parameter("findings", in: "query", description: "yes: only runs the audit flags (see quality.json); no: only runs it does not; empty: either.", enumeration: ["yes", "no", ""]),
            .object([("name", .string("finding")), ("in", .string("query")), ("required", .bool(false)), ("explode", .bool(true)),
                     ("description", .string("Only runs with a finding of this kind; repeat for several (OR).")),
                     ("schema", .object([("type", .string("array")), ("items", .object([("type", .string("string")),
                        ("enum", .array(AuditResult.Kind.allCases.map { .string($0.rawValue) }))]))]))]),
            parameter("view", in: "query", description: "scores (the default) or gain: each run's gain over its base model, for the values, the bounds, the sort and the average.", enumeration: ["scores", "gain", ""]),
            parameter("sort", in: "query", description: "A score column id, a facet name, or average (" + ScoreColumn.normalizationNote + ").",
                      enumeration: [CatalogView.average] + columnIDs + Site.facetParameters + [""]),
            parameter("order", in: "query", enumeration: ["asc", "desc"]),
            integer("limit", 0...Site.maxLimit, "Rows to return; all when absent."),
            integer("offset", 0...Site.maxOffset, "Rows to skip."),
            .object([("name", .string("cols")), ("in", .string("query")), ("description", .string("Comma-separated score column ids; the main benchmarks when absent, none when empty.")),
                     ("schema", .object([("type", .string("string")), ("pattern", .string("^" + one + "?(," + one + "?)*$"))]))]),
        ] + bounds
    }

    // Computed, not stored: the document is built rarely, and one-time globals of an indirect enum are
    // reported by LeakSanitizer when the fuzzer first reaches them.
    static var csvSchema: JSON { .object([("type", .string("string"))]) }
    static var anyObject: JSON { .object([("type", .string("object"))]) }
    static var arrayOfObjects: JSON { .object([("type", .string("array")), ("items", anyObject)]) }

    static func ok(_ description: String, _ type: String, _ schema: JSON) -> JSON {
        .object([("200", .object([("description", .string(description)), ("content", .object([(type, .object([("schema", schema)]))]))])),
                 ("400", .object([("description", .string("A parameter outside its valid values; the body names it and lists them."))])),
                 ("404", .object([("description", .string("No such resource."))]))])
    }

    static var modelsSchema: JSON {
        let nullableNumber = JSON.object([("type", .array([.string("number"), .string("null")]))])
        let nullable = { (type: String) in JSON.object([("type", .array([.string(type), .string("null")]))]) }
        let run = JSON.object([("type", .string("object")), ("required", .array(["id", "base", "url"].map { .string($0) })), ("properties", .object([
            ("id", .object([("type", .string("string"))])), ("base", .object([("type", .string("string"))])),
            ("dataset", nullable("string")), ("method", nullable("string")), ("epochs", nullable("integer")), ("samples", nullable("integer")),
            ("schedule", nullable("string")), ("leave_one_out", .object([("type", .string("boolean"))])),
            ("source", .object([("type", .string("string")), ("description", .string("release, or the manifest file a user's run came from"))])),
            ("url", .object([("type", .string("string"))])),
        ]))])
        return .object([("type", .string("object")), ("properties", .object([
            ("total", .object([("type", .string("integer"))])), ("offset", .object([("type", .string("integer"))])),
            ("limit", nullable("integer")), ("columns", .object([("type", .string("array")), ("items", .object([("type", .string("string"))]))])),
            ("view", .object([("type", .string("string")), ("enum", .array([.string("scores"), .string("gain")]))])),
            ("average", .object([("type", .string("string"))])),
            ("rows", .object([("type", .string("array")), ("items", .object([("allOf", .array([run, .object([("properties", .object([
                ("scores", .object([("type", .string("object")), ("additionalProperties", nullableNumber)])),
                ("gains", .object([("type", .string("object")), ("additionalProperties", nullableNumber)])),
                ("average", nullableNumber)]))])]))]))])),
        ]))])
    }
}

/// `s` with the characters a regular expression treats specially escaped.
func regexEscaped(_ s: String) -> String {
    var out = ""
    for c in s {
        if "\\^$.|?*+()[]{}".contains(c) { out.append("\\") }
        out.append(c)
    }
    return out
}
