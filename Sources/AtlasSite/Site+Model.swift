import AtlasCharts
import AtlasStore

extension Site {
    func row(_ id: String) throws -> RunRow {
        guard let i = runs.position[id] else { throw SiteError.notFound(Route.model(id).path + " (no model has that id)") }
        return rows[i]
    }

    /// A run's scores beside its base model's, from the rows kept in memory (no query).
    func detail(_ id: String) throws -> RunDetail {
        let row = try row(id)
        guard let d = RunDetail(row: row, baseScores: runs.baseScores[row.run.key.baseID], in: db) else {
            throw SiteError.notFound(Route.model(id).path + " (its base model is missing)")
        }
        return d
    }

    /// Related runs: ±1 epoch, the other method, the base, the other sample size, and leave-one-out runs.
    /// A user's run is related to the release's runs only: the one with its setup, those keys, and the
    /// released runs of the same base and dataset (or, for a dataset of its own, the same base, method,
    /// samples, schedule and epochs).
    func neighbours(of run: Run) -> [(relation: String, row: RunRow)] {
        let k = run.key
        var out: [(String, RunRow)] = []
        func add(_ relation: String, _ key: RunKey) {
            if key.id != run.id, let i = runs.position[key.id] { out.append((relation, rows[i])) }
        }
        if run.isUser, !k.isBase {
            add("the release's run with this setup", k)
            let listed = Set(out.map(\.1.run.id))
            let released = rows.filter { !$0.run.isUser && !$0.run.key.isBase && $0.run.key.baseID == k.baseID }
            let sameData = released.filter { $0.run.key.datasetID == k.datasetID }
            let related = !sameData.isEmpty ? sameData.map { ("same base and dataset", $0) }
                : released.filter { $0.run.key.method == k.method && $0.run.key.samples == k.samples && $0.run.key.schedule == k.schedule && $0.run.key.epochs == k.epochs }
                    .map { ("same base, method and setup; another dataset", $0) }
            out += related.filter { !listed.contains($0.1.run.id) }.prefix(12)
            // The released base row, or the user's own for a base of their own.
            if let base = rows.first(where: { $0.run.key.isBase && $0.run.key.baseID == k.baseID }) { out.append(("the base model", base)) }
            return out
        }
        guard !k.isBase else {
            return rows.filter { $0.run.key.baseID == k.baseID && TrainingSet.isAll($0.run.key.datasetID) && $0.run.key.epochs == 10 }.map { ("trained on all ten datasets", $0) }
        }
        var key = k
        // Wrapping arithmetic: a stored epoch count at Int's edge finds no neighbour instead of trapping.
        key.epochs = k.epochs &- 1; add("one epoch fewer", key)
        key.epochs = k.epochs &+ 1; add("one epoch more", key)
        key = k
        key.method = k.method == .full ? .lora : .full
        add("the other method", key)
        add("the base model", RunKey(baseID: k.baseID, datasetID: nil, method: nil, epochs: 0, samples: 0, schedule: nil))
        key = k
        key.samples = k.samples == 1000 ? 20_000 : 1000
        add("the other sample size", key)
        if TrainingSet.isAll(k.datasetID) {
            for r in rows where r.run.isLeaveOneOut && r.run.key.baseID == k.baseID && r.run.key.method == k.method
                && r.run.key.epochs == k.epochs && r.run.key.samples == k.samples && r.run.key.schedule == k.schedule {
                out.append(("leaves one dataset out", r))
            }
        } else if run.isLeaveOneOut {
            var all = k
            all.datasetID = TrainingSet.allID
            add("trained on all ten", all)
        }
        return out
    }

    /// Runs identical to `run` but for the number of epochs, by epoch.
    func epochSiblings(of run: Run) -> [RunRow] {
        guard !run.key.isBase, !run.isUser else { return [] }
        return runs.epochSiblings(of: run.key)
    }

    /// 1 + the number of fine-tuned runs of `base` with a better value in `column`, and how many have one.
    func rank(of value: Double, base: String, column: ScoreColumn) -> (rank: Int, of: Int) {
        let sorted = runs.tunedValues[base]?[column.id] ?? []
        // First index whose value is > value (upper bound) or >= value (lower bound), by binary search.
        func bound(_ strict: Bool) -> Int {
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if strict ? sorted[mid] <= value : sorted[mid] < value { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        let better = column.higherIsBetter ? sorted.count - bound(true) : bound(false)
        return (better + 1, sorted.count)
    }

    func modelPage(_ id: String, links: Links) throws -> SiteResponse {
        let detail = try detail(id)
        let run = detail.run, k = run.key
        var config: [HTMLTable.Row] = [
            .init(cells: [.init(text: "Base model"), .init(text: detail.base.displayName, href: links.base(k.baseID))]),
            .init(cells: [.init(text: "Family"), .init(text: detail.base.family)]),
            .init(cells: [.init(text: "Pretraining language"), .init(text: detail.base.language)]),
        ]
        if let d = detail.dataset {
            config += [
                .init(cells: [.init(text: "Dataset"), .init(text: d.displayName, href: links.dataset(d.id))]),
                .init(cells: [.init(text: "Method"), .init(text: k.method?.displayName ?? "")]),
                .init(cells: [.init(text: "Samples"), .init(text: RunKey.samplesLabel(k.samples))]),
                .init(cells: [.init(text: "Schedule"), .init(text: k.schedule?.rawValue ?? "")]),
                .init(cells: [.init(text: "Epochs"), .init(text: String(k.epochs))]),
            ]
            // The study's hyperparameters are the release's; a user's run has its own, which it does not state.
            if !run.isUser, let h = hyperparameters.first(where: { $0.method == k.method }) {
                config += [
                    .init(cells: [.init(text: "Learning rate"), .init(text: "\(h.learningRate)")]),
                    .init(cells: [.init(text: "Batch size"), .init(text: String(h.batchSize))]),
                    .init(cells: [.init(text: "Weight decay"), .init(text: "\(h.weightDecay)")]),
                    .init(cells: [.init(text: "Prompt template"), .init(text: h.promptTemplate)]),
                ]
            }
        }
        config.append(.init(cells: [.init(text: "Source"), .init(text: "\(run.sourceFile) line \(run.sourceLine)" + (run.isUser ? ": your run, not the release's" : ""))]))
        let sources = runs.sources[runs.position[id] ?? -1] ?? [:]
        // The audit's findings about this run, and the columns each flags.
        let findings = analyses.findingsByRun[id] ?? []
        // Per column: the kinds flagging it, and the anchor of the first such finding in the page's list.
        let places = analyses.findingPlaces[id] ?? []
        var flags: [String: (kinds: [String], anchor: String)] = [:]
        for (n, f) in findings.enumerated() where f.kind != .incomplete {
            for c in f.columns { flags[c, default: ([], "#finding-\(n + 1)")].kinds.append(f.kind.rawValue) }
        }
        // Rank among runs of the same base, per column (1 = best).
        let scoreRows = detail.scores.map { s -> HTMLTable.Row in
            var rank = "—"
            if let v = s.value, !k.isBase {
                let r = self.rank(of: v, base: k.baseID, column: s.column)
                // A release run is among the values it is ranked in; a user's run is not, so it adds one, and a
                // column no release run of this base has leaves nothing to rank against.
                if !run.isUser { rank = "\(r.rank) of \(r.of)" } else if r.of > 0 { rank = "\(r.rank) of \(r.of + 1)" }
            }
            return HTMLTable.Row(cells: [
                .init(text: s.column.displayName, href: links.benchmark(s.column.id)), .init(text: s.column.category),
                .init(text: s.column.text(s.value), numeric: true, note: flags[s.column.id].map { "⚑ " + $0.kinds.joined(separator: ", ") },
                      noteHref: flags[s.column.id]?.anchor),
                .init(text: s.column.text(s.baseValue), numeric: true),
                .init(text: s.column.signedText(s.gain), numeric: true, style: GainColour.style(s.gain, limit: s.column.gainColourLimit)),
                .init(text: rank, numeric: true),
            ])
        }
        // A user's run: each score's tool, task and metric, shots, config hash and place, with a warning where
        // the release's scores in that column come from another tool.
        let provenance = !run.isUser ? nil : HTMLTable(
            caption: "Each score as the tool wrote it, the factor that put it in the column's unit, and where it is.",
            headers: [.init(label: "Benchmark"), .init(label: "Evaluated with")],
            rows: detail.scores.compactMap { s in
                sources[s.column.id].map { .init(cells: [.init(text: s.column.displayName, href: links.benchmark(s.column.id)),
                                                        .init(text: evaluatedWith($0, column: s.column))]) }
            }).html
        let main = db.columns.filter(\.isMain)
        let near = neighbours(of: run)
        let mine = rows[runs.position[id]!]
        let neighbourTable = near.isEmpty ? nil : HTMLTable(
            caption: "Differences are the neighbour's score minus this model's, on the main benchmarks (blue higher, orange lower).",
            headers: [.init(label: "Relation"), .init(label: "Model")] + main.map { .init(label: $0.displayName, numeric: true) },
            rows: near.map { n in
                HTMLTable.Row(cells: [.init(text: n.relation), .init(text: n.row.run.id, href: links.model(n.row.run.id))] + main.map { c in
                    let d = (n.row.scores[c.id] ?? nil).flatMap { a in (mine.scores[c.id] ?? nil).map { a - $0 } }
                    return HTMLTable.Cell(text: c.signedText(d), numeric: true, style: GainColour.style(d, limit: c.gainColourLimit))
                })
            })
        let siblings = epochSiblings(of: run)
        // Siblings share one chart (it marks no run), kept under the first sibling's folder.
        let chartID = siblings.first?.run.id ?? id
        let trajectory = siblings.count >= 2 ? FigureContext(
            href: links.modelChart(chartID, .png2x), png: links.modelChart(chartID, .png), png2x: links.modelChart(chartID, .png2x),
            csv: links.modelChart(chartID, .csv),
            alt: "Main benchmark scores by epoch for the \(siblings.count) runs that differ from this one only in epochs.",
            caption: "Main benchmarks by epoch, same base, dataset, method, samples and schedule; \(Figures.pointsNote).") : nil
        let context = ModelPage(
            layout: layout(alternates: [("application/json", links.modelJSON(run.id))], links: links),
            name: name(of: run), id: run.id, json: links.modelJSON(run.id), isBase: k.isBase, repository: detail.base.repository ?? "",
            config: HTMLTable(caption: "Configuration", headers: [.init(label: "Setting"), .init(label: "Value")], rows: config).html,
            scores: HTMLTable(caption: "Gain is this model's score minus its base model's score in the same column (blue above the base, orange below); rank is among the release's fine-tuned runs of the same base\(run.isUser ? " and this run" : "") (1 is best).",
                              headers: [.init(label: "Benchmark"), .init(label: "Category", wideOnly: true), .init(label: "Score", numeric: true),
                                        .init(label: "Base", numeric: true), .init(label: "Gain", numeric: true), .init(label: "Rank", numeric: true)],
                              rows: scoreRows).html,
            neighbours: neighbourTable?.html, trajectory: trajectory,
            compare: near.isEmpty ? nil : links.compare + Links.query([("ids", ([run.id] + near.prefix(7).map(\.row.run.id)).joined(separator: ","))]),
            provenance: provenance,
            findings: findings.enumerated().map { n, f in
                ModelPage.Finding(anchor: "finding-\(n + 1)", kind: Self.qualityKindTitles[f.kind] ?? f.kind.rawValue, detail: f.detail,
                                  href: findingHref(f.kind, place: places[n], links: links))
            },
            qualityHref: links.url(.quality))
        return .html(templates.render("model", context), headers: [("Link", "<\(links.modelJSON(run.id))>; rel=\"alternate\"; type=\"application/json\"")])
    }

    /// The epoch trajectory chart of a model page (`epochs.png`, `epochs@2x.png`, `epochs.csv`).
    func modelChart(_ id: String, file: Route.ChartFile) throws -> SiteResponse {
        let run = try row(id).run
        let siblings = epochSiblings(of: run)
        guard siblings.count >= 2 else { throw SiteError.notFound(Route.modelChart(id, file).path) }
        let main = db.columns.filter(\.isMain)
        // One axis for every column: each put on 0–100 (TruthfulQA ×100, MT-Bench ×10), so none lies flat at the bottom.
        let spec = LineChartSpec(title: "Main benchmarks by epoch", xLabel: "epoch", yLabel: "score, points on 0–100",
                                 x: siblings.map { Double($0.run.key.epochs) },
                                 series: main.map { c in .init(name: c.displayName, values: siblings.map { ($0.scores[c.id] ?? nil).map(c.onHundred) }) })
        return chartFile(spec, file: file, download: "\(id)-epochs.csv")
    }
}

extension Site {
    /// A user score's provenance in one line: tool and version, task, metric key, shots, config hash, file
    /// and place, and a warning where the release's scores in that column come from another tool (the
    /// study evaluated with OpenCompass). Shots always agree: a column is one benchmark at one number of shots.
    func evaluatedWith(_ s: ScoreSource, column: ScoreColumn) -> String {
        var parts = [s.tool + (s.toolVersion.map { " " + $0 } ?? ""), "\(s.task) \(s.metric)"]
        if let shots = s.shots { parts.append("\(shots)-shot") }
        if let hash = s.configHash { parts.append("config \(hash)") }
        if s.scale != 1 { parts.append("×\(NumberText.plain(s.scale))") }
        parts.append("\(s.file) \(s.place)")
        let releaseHas = rows.contains { !$0.run.isUser && ($0.scores[column.id] ?? nil) != nil }
        if releaseHas, s.tool != "opencompass" { parts.append("⚠ the release used OpenCompass: not directly comparable") }
        return parts.joined(separator: " · ")
    }
}
