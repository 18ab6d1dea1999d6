import AtlasDomain

/// The OpenAPI 3 description of `/api/v1/`.
enum OpenAPI {
    static func document(site: Site) -> JSON {
        let facet = { (name: String, description: String) -> JSON in
            .object([("name", .string(name)), ("in", .string("query")), ("required", .bool(false)), ("explode", .bool(true)),
                     ("description", .string(description + " Repeat to select several (OR); different parameters combine with AND. 'none' selects base models.")),
                     ("schema", .object([("type", .string("array")), ("items", .object([("type", .string("string"))]))]))])
        }
        let columnIDs = site.db.columns.map { JSON.string($0.id) }
        let listParameters: [JSON] = [
            facet("base", "Base model id."), facet("dataset", "Dataset id."), facet("method", "full or lora."),
            facet("epochs", "Number of epochs."), facet("samples", "Training samples (1000, 9000, 10000, 20000)."), facet("schedule", "cosine or constant."),
            .object([("name", .string("sort")), ("in", .string("query")), ("description", .string("A score column id or a facet name.")),
                     ("schema", .object([("type", .string("string")), ("enum", .array(columnIDs + Site.facetParameters.map { .string($0) }))]))]),
            .object([("name", .string("order")), ("in", .string("query")), ("schema", .object([("type", .string("string")), ("enum", .array([.string("asc"), .string("desc")]))]))]),
            .object([("name", .string("limit")), ("in", .string("query")), ("description", .string("Rows to return; all when absent.")), ("schema", .object([("type", .string("integer")), ("minimum", .int(0))]))]),
            .object([("name", .string("offset")), ("in", .string("query")), ("schema", .object([("type", .string("integer")), ("minimum", .int(0))]))]),
            .object([("name", .string("cols")), ("in", .string("query")), ("description", .string("Comma-separated score column ids; the 12 main benchmarks when absent.")),
                     ("schema", .object([("type", .string("string"))]))]),
        ]
        let nullableNumber = JSON.object([("type", .array([.string("number"), .string("null")]))])
        let run = JSON.object([("type", .string("object")), ("required", .array(["id", "base", "url"].map { .string($0) })), ("properties", .object([
            ("id", .object([("type", .string("string"))])), ("base", .object([("type", .string("string"))])),
            ("dataset", .object([("type", .array([.string("string"), .string("null")]))])), ("method", .object([("type", .array([.string("string"), .string("null")]))])),
            ("epochs", .object([("type", .array([.string("integer"), .string("null")]))])), ("samples", .object([("type", .array([.string("integer"), .string("null")]))])),
            ("schedule", .object([("type", .array([.string("string"), .string("null")]))])), ("leave_one_out", .object([("type", .string("boolean"))])),
            ("url", .object([("type", .string("string"))])),
        ]))])
        func ok(_ description: String, _ type: String, _ schema: JSON) -> JSON {
            .object([("200", .object([("description", .string(description)), ("content", .object([(type, .object([("schema", schema)]))]))])),
                     ("400", .object([("description", .string("A parameter outside its valid values; the body names it and lists them."))])),
                     ("404", .object([("description", .string("No such resource."))]))])
        }
        let csvSchema = JSON.object([("type", .string("string"))])
        let anyObject = JSON.object([("type", .string("object"))])
        let arrayOfObjects = JSON.object([("type", .string("array")), ("items", anyObject)])
        let modelsSchema = JSON.object([("type", .string("object")), ("properties", .object([
            ("total", .object([("type", .string("integer"))])), ("offset", .object([("type", .string("integer"))])),
            ("limit", .object([("type", .array([.string("integer"), .string("null")]))])), ("columns", .object([("type", .string("array")), ("items", .object([("type", .string("string"))]))])),
            ("rows", .object([("type", .string("array")), ("items", .object([("allOf", .array([run, .object([("properties", .object([("scores", .object([("type", .string("object")), ("additionalProperties", nullableNumber)]))]))])]))]))])),
        ]))])
        let analysisNames = ["gain-matrix", "model-correlation", "pca", "similarity-test", "score-map", "epochs", "sample-size", "lora-vs-full", "ablation", "cross-lingual", "claims"]
        let perMethod = ["gain-matrix", "model-correlation", "pca", "similarity-test"]
        let paths: [(String, JSON)] = [
            ("/api/v1/models.json", .object([("get", .object([("summary", .string("Models filtered, sorted and paged like the catalog.")), ("parameters", .array(listParameters)), ("responses", ok("Matching models.", "application/json", modelsSchema))]))])),
            ("/api/v1/models.csv", .object([("get", .object([("summary", .string("The same as models.json, as CSV.")), ("parameters", .array(listParameters)), ("responses", ok("Matching models.", "text/csv", csvSchema))]))])),
            ("/api/v1/models/{id}.json", .object([("get", .object([("summary", .string("One model: scores, base scores, gains and neighbours.")),
                ("parameters", .array([.object([("name", .string("id")), ("in", .string("path")), ("required", .bool(true)), ("schema", .object([("type", .string("string"))]))])])),
                ("responses", ok("The model.", "application/json", anyObject))]))])),
            ("/api/v1/bases.json", .object([("get", .object([("summary", .string("Base models.")), ("responses", ok("Registry.", "application/json", arrayOfObjects))]))])),
            ("/api/v1/bases.csv", .object([("get", .object([("summary", .string("Base models as CSV.")), ("responses", ok("Registry.", "text/csv", csvSchema))]))])),
            ("/api/v1/datasets.json", .object([("get", .object([("summary", .string("Datasets.")), ("responses", ok("Registry.", "application/json", arrayOfObjects))]))])),
            ("/api/v1/datasets.csv", .object([("get", .object([("summary", .string("Datasets as CSV.")), ("responses", ok("Registry.", "text/csv", csvSchema))]))])),
            ("/api/v1/benchmarks.json", .object([("get", .object([("summary", .string("Score columns.")), ("responses", ok("Registry.", "application/json", arrayOfObjects))]))])),
            ("/api/v1/benchmarks.csv", .object([("get", .object([("summary", .string("Score columns as CSV.")), ("responses", ok("Registry.", "text/csv", csvSchema))]))])),
            ("/api/v1/analysis/{name}.json", .object([("get", .object([("summary", .string("A stored analysis. gain-matrix, model-correlation, pca and similarity-test need method=full|lora; the others take no method.")),
                ("parameters", .array([
                    .object([("name", .string("name")), ("in", .string("path")), ("required", .bool(true)), ("schema", .object([("type", .string("string")), ("enum", .array(analysisNames.map { .string($0) }))]))]),
                    .object([("name", .string("method")), ("in", .string("query")), ("required", .bool(false)), ("schema", .object([("type", .string("string")), ("enum", .array(Method.allCases.map { .string($0.rawValue) }))]))]),
                ])), ("responses", ok("The analysis document.", "application/json", anyObject))]))])),
            ("/api/v1/analysis/{name}/{method}.json", .object([("get", .object([("summary", .string("The path form of a per-method analysis (gain-matrix, model-correlation, pca, similarity-test), as a static site has it.")),
                ("parameters", .array([
                    .object([("name", .string("name")), ("in", .string("path")), ("required", .bool(true)), ("schema", .object([("type", .string("string")), ("enum", .array(perMethod.map { .string($0) }))]))]),
                    .object([("name", .string("method")), ("in", .string("path")), ("required", .bool(true)), ("schema", .object([("type", .string("string")), ("enum", .array(Method.allCases.map { .string($0.rawValue) }))]))]),
                ])), ("responses", ok("The analysis document.", "application/json", anyObject))]))])),
            ("/api/v1/catalog.json", .object([("get", .object([("summary", .string("Every model with every score in compact arrays, with the columns and facets: what the browser-side catalog reads.")),
                ("responses", ok("The catalog.", "application/json", anyObject))]))])),
        ]
        return .object([
            ("openapi", .string("3.1.0")),
            ("info", .object([("title", .string("SFT Atlas API")), ("version", .string("1")),
                              ("description", .string("Read-only access to the results of the massive-sft study: models, scores, registries and the paper's analyses."))])),
            ("paths", .object(paths)),
        ])
    }
}
