import AtlasStore

extension Site {
    /// `models.json` and `models.csv`: the view's runs (every match, or `limit` from `offset`), with the
    /// shown columns' scores (or, with `view=gain`, gains over the base) and their average. Scores are the
    /// released values as they are; gains and averages are computed, so they are rounded to 9 decimals
    /// (`NumberText.tidy`) rather than carrying float noise such as 24.029999999999998.
    func models(_ view: CatalogView, csv: Bool, links: Links) throws -> SiteResponse {
        let index = catalogIndex
        let result = index.query(view, limit: view.limit, offset: view.offset)
        let shown = view.columns.compactMap { index.columnPosition[$0] }
        func value(_ i: Int, _ c: Int) -> Double? {
            index.value(i, c, gain: view.gain).map { view.gain ? NumberText.tidy($0) : $0 }
        }
        func average(_ i: Int) -> Double? { index.average(i, shown, gain: view.gain).map(NumberText.tidy) }
        if csv {
            let header = ["id", "base", "dataset", "method", "epochs", "samples", "schedule", "leave_one_out"] + view.columns + ["average"]
            let body = result.positions.map { i -> [CSVTable.Cell] in
                let r = index.rows[i], k = r.run.key
                return [.text(r.run.id), .text(k.baseID), .text(k.datasetID ?? ""), .text(k.method?.rawValue ?? ""), .int(k.isBase ? nil : k.epochs),
                        .int(k.isBase ? nil : k.samples), .text(k.schedule?.rawValue ?? ""), .text(r.run.isLeaveOneOut ? "true" : "false")]
                    + shown.map { .number(value(i, $0)) } + [.number(average(i))]
            }
            return .csv(CSVTable.render(header: header, rows: body), filename: view.gain ? "models-gain.csv" : "models.csv")
        }
        let items: [JSON] = result.positions.map { i in
            let r = index.rows[i]
            return .object(runFields(r.run, links: links) + [
                (view.gain ? "gains" : "scores", .object(zip(view.columns, shown).map { ($0, .optional(value(i, $1))) })),
                ("average", .optional(average(i))),
            ])
        }
        return .json(.object([
            ("total", .int(result.total)), ("offset", .int(view.offset)), ("limit", view.limit == Int.max ? .null : .int(view.limit)),
            ("view", .string(view.gain ? "gain" : "scores")), ("columns", .array(view.columns.map { .string($0) })),
            ("average", .string("over the columns listed: " + ScoreColumn.normalizationNote)),
            ("rows", .array(items)),
        ]))
    }
}
