import AtlasAnalysis
import AtlasStore
import Foundation

extension Site {
    struct DownloadFile: Sendable {
        var name: String
        var what: String
        var bytes: [UInt8]
        var sha256: String
    }

    /// The downloads' file names, in the order `buildDownloads` makes them.
    static let downloadNames = ["evaluation_result.csv", "scores-long.csv", "sftatlas.sqlite"]

    /// The whole dataset in three forms, with their digests (call `downloads()`, which keeps them).
    func buildDownloads() -> [DownloadFile] {
        let header = ["", ReleaseLayout.model, ReleaseLayout.data] + db.columns.map(\.sourceName)
            + [ReleaseLayout.lora, ReleaseLayout.epoch, ReleaseLayout.dataSize, ReleaseLayout.schedule]
        let wide = rows.enumerated().map { i, r -> [CSVTable.Cell] in
            let k = r.run.key
            let base = db.bases.first { $0.id == k.baseID }?.sourceName ?? k.baseID
            let dataset = k.datasetID.map { id in db.datasets.first { $0.id == id }?.sourceName ?? id } ?? ReleaseLayout.baseRowDataName
            return [.int(i), .text(base), .text(dataset)] + db.columns.map { .number(r.scores[$0.id] ?? nil) }
                + [.text(k.method.map(ReleaseLayout.loraText) ?? ""), .int(k.epochs), .text(k.isBase ? "0.0" : "\(k.samples).0"),
                   .text(k.schedule?.rawValue ?? "")]
        }
        var long: [[CSVTable.Cell]] = []
        for r in rows {
            let k = r.run.key
            for c in db.columns {
                long.append([.text(r.run.id), .text(k.baseID), .text(k.datasetID ?? ""), .text(k.method?.rawValue ?? ""), .int(k.epochs),
                             .int(k.isBase ? nil : k.samples), .text(k.schedule?.rawValue ?? ""), .text(c.id), .number(r.scores[c.id] ?? nil)])
            }
        }
        // The bytes the site answers from, read once at open: never the file as it may be now.
        let sqlite = db.fileBytes
        let file = { (name: String, what: String, bytes: [UInt8]) in DownloadFile(name: name, what: what, bytes: bytes, sha256: SHA256.hex(of: bytes)) }
        return [
            file(Self.downloadNames[0], "Every run in the release's layout (its column names and encodings; base rows as data_name 'pretrain'; score columns in registry order), written anew from the database: its digest is not the ingested file's, which the page footer cites.",
                 Array(CSVTable.render(header: header, rows: wide).utf8)),
            file(Self.downloadNames[1], "One row per run and score column, normalized: run id, base, dataset, method, epochs, samples, schedule, column, value (empty when missing).",
                 Array(CSVTable.render(header: ["run", "base", "dataset", "method", "epochs", "samples", "schedule", "column", "value"], rows: long).utf8)),
            file(Self.downloadNames[2], "The SQLite database this site is served from (schema in the README).", sqlite),
        ]
    }

    func download(_ name: String) throws -> SiteResponse {
        guard let f = downloads().first(where: { $0.name == name }) else { throw SiteError.notFound(Route.download(name).path) }
        let type = name.hasSuffix(".csv") ? "text/csv; charset=utf-8" : "application/vnd.sqlite3"
        return SiteResponse(contentType: type, body: f.bytes, headers: [("Content-Disposition", "attachment; filename=\"\(name)\"")])
    }

    func api(_ api: Route.API, query: Request.Query, links: Links) throws -> SiteResponse {
        switch api {
        case .models(let format):
            guard case .catalog(let view) = query else { throw SiteError.internalError("the models document was given a query of another kind") }
            return try models(view, csv: format == .csv, links: links)
        case .registry(.bases, let format): return registry(bases: format == .csv)
        case .registry(.datasets, let format): return registry(datasets: format == .csv)
        case .registry(.benchmarks, let format): return registry(benchmarks: format == .csv)
        case .openapi: return .json(OpenAPI.document(site: self))
        case .quality(let format): return qualityDocument(csv: format == .csv)
        case .catalog(let script):
            // Everything the browser-side catalog and compare pages need, in one document; the .js twin
            // wraps it in an assignment so that a site opened from file:// (where fetch is refused) can load it.
            let text = catalogData().serialized
            return !script ? .jsonText(text + "\n")
                : SiteResponse(contentType: "application/javascript; charset=utf-8", body: Array("window.SFTATLAS_CATALOG = \(text);\n".utf8))
        case .model(let id):
            // A 404 names the address asked for, not the model's page.
            guard runs.position[id] != nil else { throw SiteError.notFound(Route.api(api).path + " (no model has that id)") }
            return .json(modelJSON(try detail(id), links: links))
        case .analysisByMethod(let name, let method):
            guard let doc = analyses[AnalysisKey(name, method)] else { throw SiteError.notFound(Route.api(api).path) }
            return .jsonText(doc + "\n")
        case .analysis(let name):
            // The method was checked when the request was read (`Site.analysisMethod`).
            guard case .analysis(let method) = query, let doc = analyses[AnalysisKey(name, method)] else {
                throw SiteError.notFound(Route.api(api).path)
            }
            return .jsonText(doc + "\n")
        }
    }

    func runFields(_ run: Run, links: Links) -> [(String, JSON)] {
        let k = run.key
        return [("id", .string(run.id)), ("base", .string(k.baseID)), ("dataset", .optional(k.datasetID)), ("method", .optional(k.method?.rawValue)),
                ("epochs", k.isBase ? .null : .int(k.epochs)), ("samples", k.isBase ? .null : .int(k.samples)), ("schedule", .optional(k.schedule?.rawValue)),
                ("leave_one_out", .bool(run.isLeaveOneOut)), ("source", .string(run.source ?? FacetDimension.releaseSource)),
                ("url", .string(links.model(run.id)))]
    }

    func modelJSON(_ d: RunDetail, links: Links) -> JSON {
        .object(runFields(d.run, links: links) + [
            ("name", .string(name(of: d.run))), ("source_location", .object([("file", .string(d.run.sourceFile)), ("line", .int(d.run.sourceLine))])),
            ("scores", .array(d.scores.map { s in
                .object([("column", .string(s.column.id)), ("value", .optional(s.value)), ("base_value", .optional(s.baseValue)), ("gain", .optional(s.gain.map(NumberText.tidy)))])
            })),
            ("neighbours", .array(neighbours(of: d.run).map { .object([("relation", .string($0.relation)), ("id", .string($0.row.run.id))]) })),
        ])
    }

    func registry(bases csv: Bool) -> SiteResponse {
        let header = ["id", "name", "source_name", "family", "language", "parameters_b", "context_length", "repository", "in_main_grid"]
        if csv {
            return .csv(CSVTable.render(header: header, rows: db.bases.map { b in
                [.text(b.id), .text(b.displayName), .text(b.sourceName), .text(b.family), .text(b.language), .number(b.parametersBillions),
                 .int(b.contextLength), .text(b.repository ?? ""), .text(b.inMainGrid ? "true" : "false")]
            }), filename: "bases.csv")
        }
        return .json(.array(db.bases.map { b in
            .object([("id", .string(b.id)), ("name", .string(b.displayName)), ("source_name", .string(b.sourceName)), ("family", .string(b.family)),
                     ("language", .string(b.language)), ("parameters_b", .optional(b.parametersBillions)), ("context_length", .optional(b.contextLength)),
                     ("repository", .optional(b.repository)), ("in_main_grid", .bool(b.inMainGrid))])
        }))
    }

    func registry(datasets csv: Bool) -> SiteResponse {
        let header = ["id", "name", "source_name", "kind", "left_out", "category", "source_repository", "source_samples", "mean_length_words", "properties_source"]
        if csv {
            return .csv(CSVTable.render(header: header, rows: db.datasets.map { d in
                [.text(d.id), .text(d.displayName), .text(d.sourceName), .text(d.kind.rawValue), .text(d.leftOut ?? ""), .text(d.category),
                 .text(d.sourceRepository ?? ""), .int(d.sourceSamples), .number(d.meanLength), .text(d.propertiesSource ?? "")]
            }), filename: "datasets.csv")
        }
        return .json(.array(db.datasets.map { d in
            .object([("id", .string(d.id)), ("name", .string(d.displayName)), ("source_name", .string(d.sourceName)), ("kind", .string(d.kind.rawValue)),
                     ("left_out", .optional(d.leftOut)), ("category", .string(d.category)), ("source_repository", .optional(d.sourceRepository)),
                     ("source_samples", .optional(d.sourceSamples)), ("mean_length_words", .optional(d.meanLength)),
                     ("properties_source", .optional(d.propertiesSource))])
        }))
    }

    func registry(benchmarks csv: Bool) -> SiteResponse {
        let header = ["id", "name", "source_name", "benchmark", "benchmark_name", "shots", "category", "unit", "scale_min", "scale_max", "higher_is_better", "main"]
        if csv {
            return .csv(CSVTable.render(header: header, rows: db.columns.map { c in
                [.text(c.id), .text(c.displayName), .text(c.sourceName), .text(c.benchmark), .text(c.benchmarkName), .int(c.shots), .text(c.category),
                 .text(c.unit.rawValue), .number(c.scaleMin), .number(c.scaleMax), .text(c.higherIsBetter ? "true" : "false"), .text(c.isMain ? "true" : "false")]
            }), filename: "benchmarks.csv")
        }
        return .json(.array(db.columns.map { c in
            .object([("id", .string(c.id)), ("name", .string(c.displayName)), ("source_name", .string(c.sourceName)), ("benchmark", .string(c.benchmark)),
                     ("benchmark_name", .string(c.benchmarkName)), ("shots", .optional(c.shots)), ("category", .string(c.category)),
                     ("unit", .string(c.unit.rawValue)), ("scale_min", .optional(c.scaleMin)), ("scale_max", .optional(c.scaleMax)),
                     ("higher_is_better", .bool(c.higherIsBetter)), ("main", .bool(c.isMain))])
        }))
    }

    /// The catalog for the browser: the columns, the facets with their labels in the server's order, and
    /// every run as a compact array (id, then its value in each facet dimension, null for none, then one
    /// score per column, null when missing). Base models carry epochs and samples 0, as the filters see them.
    func catalogData() -> JSON {
        let columns: [JSON] = db.columns.map { c in
            .object([("id", .string(c.id)), ("name", .string(c.displayName)), ("main", .bool(c.isMain)), ("higher_is_better", .bool(c.higherIsBetter)), ("unit", .string(c.unit.rawValue))])
        }
        let facets: [JSON] = FacetDimension.allCases.map { d in
            .object([("name", .string(d.rawValue)), ("label", .string(d.displayName)),
                     ("values", .array((facetValues[d] ?? []).map { v in .array([.string(v), .string(facetText(d, v))]) }))])
        }
        let runs: [JSON] = rows.map { r in
            let k = r.run.key
            return .array([.string(r.run.id), .string(k.baseID), .optional(k.datasetID), .optional(k.method?.rawValue),
                           .int(k.epochs), .int(k.samples), .optional(k.schedule?.rawValue), .string(r.run.source ?? FacetDimension.releaseSource)]
                          + db.columns.map { .optional(r.scores[$0.id] ?? nil) }
                          + [.array(AuditResult.Kind.allCases.map(\.rawValue).filter { k in analyses.findingsByRun[r.run.id]?.contains { $0.kind.rawValue == k } ?? false }.map { .string($0) })])
        }
        return .object([("fields", .array(["id", "base", "dataset", "method", "epochs", "samples", "schedule", "source"].map { .string($0) })),
                        ("columns", .array(columns)), ("facets", .array(facets)),
                        ("none", .string(RunFilter.noneValue)), ("page_size", .int(50)), ("runs", .array(runs))])
    }
}
