@testable import AtlasAnalysis
import Testing
import Foundation

/// The audit on a small table with one fault of each kind planted, and a control for each that must not
/// be flagged: two runs equal by coincidence in two columns, a low score that is not a collapse.
@Suite struct AuditTests {
    /// A base row and 24 full-parameter runs of base "x" on 9 columns: c0–c7 percentages (c6, c7 5-shot),
    /// c8 a 0–1 fraction. Every value distinct: 30 + 1.5·i + 1.37·c + 0.0011·i·c (c5 is small, 0.2 + 0.01·i).
    static func table() -> AuditInput {
        let columns = (0..<9).map { c in
            AuditInput.Column(id: "c\(c)", unit: c == 8 ? "fraction" : "percent", scaleMin: 0, scaleMax: c == 8 ? 1 : 100, shots: c >= 6 && c <= 7 ? 5 : 0)
        }
        var runs = [AuditInput.Run(id: "x.base", base: "x", dataset: nil, method: nil, epochs: 0, isBase: true)]
        runs += (0..<24).map { AuditInput.Run(id: "r\($0)", base: "x", dataset: "d\($0 % 5)", method: "full", epochs: 1 + $0 % 10, isBase: false) }
        var values: [Double] = []
        for i in 0..<runs.count {
            for c in 0..<9 {
                switch c {
                case 5: values.append(0.2 + 0.01 * Double(i))
                case 8: values.append(0.1 + 0.005 * Double(i))
                default: values.append(30 + 1.5 * Double(i) + 1.37 * Double(c) + 0.0011 * Double(i * c))
                }
            }
        }
        func set(_ run: String, _ c: Int, _ v: Double) { values[runs.firstIndex { $0.id == run }! * 9 + c] = v }
        func get(_ run: String, _ c: Int) -> Double { values[runs.firstIndex { $0.id == run }! * 9 + c] }
        for c in 0..<9 { set("r11", c, get("r10", c)) }      // a duplicate: r11 copies r10 in all 9 columns
        set("r4", 0, get("r3", 0)); set("r4", 1, get("r3", 1)) // control: equal in 2 columns only
        set("r5", 2, 1.0)                                      // a collapse: base c2 = 32.74, the group's median about 50
        set("r6", 3, 0.6 * get("x.base", 3))                   // control: low (0.6 × the base) but not under half
        for r in ["r7", "r8"] { set(r, 6, .nan); set(r, 7, .nan) } // a block: both 5-shot columns missing
        set("r12", 1, 150)                                     // outside 0–100
        return AuditInput(runs: runs, columns: columns, values: values,
                          gaps: [.init(id: "x.d9.full.1k.cosine.ep3", study: "main", reason: nil)],
                          explanations: [.init(base: "x", method: "full", dataset: nil, epochs: nil, fewShotOnly: true, columns: nil, reason: "out of memory on the few-shot tasks")])
    }

    @Test func eachPlantedFaultIsFoundAndNoControlIs() {
        let result = Audit.run(Self.table())
        let dup = result.findings.filter { $0.kind == .duplicate }
        #expect(dup.count == 1 && dup[0].runs == ["r10", "r11"] && dup[0].evidence["identical"] == 9 && dup[0].evidence["shared"] == 9)
        #expect((dup[0].evidence["all_pairs_chance"] ?? 1) < Audit.duplicateFamilyChance)
        let collapsed = result.findings.filter { $0.kind == .collapsed }
        #expect(collapsed.map(\.runs) == [["r5"]] && collapsed[0].columns == ["c2"] && collapsed[0].evidence["value"] == 1)
        // The base's c2: 30 + 1.37·2 = 32.74 (the base row is i = 0).
        #expect(collapsed[0].evidence["base"] == 32.74)
        let incomplete = result.findings.filter { $0.kind == .incomplete }
        #expect(incomplete.count == 1 && incomplete[0].runs == ["r7", "r8"] && incomplete[0].columns == ["c6", "c7"])
        #expect(incomplete[0].explained == "out of memory on the few-shot tasks")
        let scale = result.findings.filter { $0.kind == .scale }
        // r12's 150 on c1, and c5, a percentage column whose values all lie within 0–1.
        #expect(Set(scale.map(\.detail)) == ["r12 has 150 on c1, outside its scale 0–100.", "c5: every value of this percentage column lies within 0–1, as fractions would."])
        let gaps = result.findings.filter { $0.kind == .planGap }
        #expect(gaps.count == 1 && gaps[0].detail.contains("absent from the release"))
    }

    @Test func withoutFaultsNothingIsFlagged() {
        var clean = Self.table()
        var values: [Double] = []
        for i in 0..<clean.runs.count {
            for c in 0..<9 {
                let x = Double(i), y = Double(c)
                values.append(c == 8 ? 0.1 + 0.005 * x : 30 + 1.5 * x + 1.37 * y + 0.0011 * x * y)
            }
        }
        clean.values = values
        clean.gaps = []
        #expect(Audit.run(clean).findings.isEmpty)
    }
}

/// The claims' sensitivity: what each variant leaves out of the table.
@Suite struct SensitivityTests {
    @Test func aVariantDropsTheFlaggedBasesAndBlanksTheFlaggedCells() {
        let item = { (id: String) in StudyTable.Item(id: id, name: id) }
        let runs = [StudyTable.Run(id: "a.base", base: "a", dataset: nil, method: nil, epochs: 0, samples: 0, schedule: nil),
                    StudyTable.Run(id: "a1", base: "a", dataset: "d", method: "full", epochs: 1, samples: 1000, schedule: "cosine"),
                    StudyTable.Run(id: "b.base", base: "b", dataset: nil, method: nil, epochs: 0, samples: 0, schedule: nil),
                    StudyTable.Run(id: "b1", base: "b", dataset: "d", method: "full", epochs: 1, samples: 1000, schedule: "cosine")]
        var table = StudyTable(runs: runs, columns: [item("c0"), item("c1")], values: [1, 2, 3, 4, 5, 6, 7, 8], mainColumns: [item("c0")],
                               mainBases: [item("a"), item("b")], bases: [item("a"), item("b")], baseLanguage: [:], baseFamily: [:],
                               datasets: [item("d")], columnCategory: [:])
        table.datasetLength = ["d": 120]
        let t = Sensitivity.without(table, bases: ["b"], cells: [(run: "a1", column: "c1")])
        // The datasets' lengths go with the table (the length claim is recomputed in each variant).
        #expect(t.datasetLength == ["d": 120])
        // b's two runs go with its base; a1's c1 (value 4) is blanked; a.base and a1's c0 stay.
        #expect(t.runs.map(\.id) == ["a.base", "a1"] && t.mainBases.map(\.id) == ["a"] && t.bases.map(\.id) == ["a"])
        #expect(t.values[0] == 1 && t.values[1] == 2 && t.values[2] == 3 && t.values[3].isNaN)
        // Nothing flagged: the table as it was.
        let same = Sensitivity.without(table, bases: [], cells: [])
        #expect(same.runs.count == 4 && same.values.elementsEqual(table.values))
    }
}

/// The main statistic of the figures no claim covers, and its variants with flagged data left out.
@Suite struct FigureStatisticTests {
    @Test func theEpochAndAblationMeansAreRecomputedWithoutACollapsedCell() throws {
        let item = { (id: String) in StudyTable.Item(id: id, name: id) }
        let run = { (id: String, dataset: String?, epochs: Int) in
            StudyTable.Run(id: id, base: "a", dataset: dataset, method: dataset == nil ? nil : "full", epochs: epochs,
                           samples: dataset == nil ? 0 : 10_000, schedule: dataset == nil ? nil : "cosine")
        }
        // c0 is a percentage, c1 a 1–10 rating (×10 onto 0–100). Base "g" is outside the main grid (as Gemma2-9B is):
        // its all-datasets runs change by 100 points, which would move the epoch mean if it were counted.
        var g = [run("g.base", nil, 0), run("g1", "all", 1), run("g10", "all", 10)]
        for i in g.indices { g[i].base = "g" }
        let runs = [run("a.base", nil, 0), run("all1", "all", 1), run("all10", "all", 10), run("wo10", "wo-lima", 10)] + g
        let values: [Double] = [40, 5,   // base
                                50, 6,   // all, epoch 1
                                56, 7.5, // all, epoch 10
                                53, 8,   // all but lima, epoch 10
                                0, 1, 0, 1, 100, 10] // g: base, epoch 1, epoch 10
        let table = StudyTable(runs: runs, columns: [item("c0"), item("c1")], values: values, mainColumns: [item("c0"), item("c1")],
                               mainBases: [item("a")], bases: [item("a"), item("g")], baseLanguage: [:], baseFamily: [:],
                               datasets: [item("lima")], columnCategory: [:], columnScale: ["c0": 1, "c1": 10])
        let flags = SensitivityFlags(duplicatedBases: [], collapsedCells: [(run: "all10", column: "c1")])
        let docs = try PaperAnalyses.compute(table, flags: flags)
        let claims = try JSONDecoder().decode(ClaimsResult.self, from: Data(docs.first { $0.name == "claims" }!.json.utf8))
        let stats = try #require(claims.figureStatistics)
        func stat(_ analysis: String, _ method: String?) throws -> FigureStatistic {
            try #require(stats.first { $0.analysis == analysis && $0.method == method && $0.statistic.hasPrefix("mean change") })
        }
        // Epochs (full), by hand: c0 56 − 50 = 6; c1 (7.5 − 6) × 10 = 15; mean 10.5 (g left out: with it, the mean
        // of 6, 15, 100 and 90 would be 52.75). Without all10's c1: only c0, 6. No LoRA runs: no value.
        let epochs = try stat("epochs", "full")
        #expect(abs(epochs.value! - 10.5) < 1e-12)
        #expect(epochs.variants.count == 1 && abs(epochs.variants[0].value! - 6) < 1e-12 && epochs.changes(epochs.variants[0].value))
        #expect(try stat("epochs", "lora").value == nil)
        // Ablation (full), by hand: c0 53 − 56 = −3; c1 (8 − 7.5) × 10 = 5; mean 1. Without all10's c1: −3.
        let ablation = try stat("ablation", "full")
        #expect(abs(ablation.value! - 1) < 1e-12 && abs(ablation.variants[0].value! + 3) < 1e-12)
        // No LoRA runs: no value, in either.
        let lora = try stat("ablation", "lora")
        #expect(lora.value == nil && lora.variants[0].value == nil && !lora.changes(nil))
    }

    @Test func aPValueChangesItsReadingOnlyAcrossTheThreshold() {
        let p = FigureStatistic(analysis: "similarity-test", method: "full", statistic: "p", value: 1e-7, threshold: 0.05, variants: [])
        #expect(!p.changes(3e-5) && !p.changes(0.049) && p.changes(0.06) && p.changes(nil))
        let r = FigureStatistic(analysis: "model-correlation", method: "full", statistic: "r", value: 0.5, threshold: nil, variants: [])
        #expect(!r.changes(0.46) && !r.changes(0.54) && r.changes(0.44) && r.changes(0.56))
    }
}

@Suite struct AuditJSONTests {
    @Test func theWrittenJSONDecodesToTheSameResultAsTheEncodersDoes() throws {
        let hostile = "a\"b\\c\n\td\u{1}e\u{1F}/é😀</script>"
        let result = AuditResult(
            definition: "def " + hostile,
            rules: ["duplicate": "rule 1", "collapsed": hostile],
            findings: [
                .init(kind: .duplicate, runs: ["r1", hostile], columns: ["c1", "c2"], detail: hostile,
                      evidence: ["identical": 29, "shared": 29, "chance": 1.2e-73, "negative": -0.5, "big": 1e300], explained: nil),
                .init(kind: .planGap, runs: [], columns: [], detail: "", evidence: [:], explained: "the paper " + hostile),
            ])
        let written = try JSONDecoder().decode(AuditResult.self, from: Data(result.json.utf8))
        #expect(written == result)
        // The same bytes as the encoder's, once both are parsed (key order and number spelling aside).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let a = try JSONSerialization.jsonObject(with: Data(result.json.utf8)) as! NSDictionary
        let b = try JSONSerialization.jsonObject(with: encoder.encode(result)) as! NSDictionary
        #expect(a == b)
        // Control characters are escaped as JSON requires: no raw byte below 0x20 in the text.
        #expect(!result.json.utf8.contains { $0 < 0x20 } && result.json.contains("\\u0001") && result.json.contains("\\u001f"))
        // A value JSON cannot hold is left out rather than written as nan.
        var odd = result
        odd.findings[0].evidence["nan"] = .nan
        #expect(!odd.json.contains("nan") && (try? JSONDecoder().decode(AuditResult.self, from: Data(odd.json.utf8))) != nil)
    }
}

/// Fig. 4b on a small table, every number worked out by hand.
@Suite struct DatasetLengthTests {
    @Test func cellsAndCorrelationsAreThoseComputedByHand() throws {
        let item = { (id: String) in StudyTable.Item(id: id, name: id) }
        func run(_ base: String, _ dataset: String?, _ method: String? = "full") -> StudyTable.Run {
            StudyTable.Run(id: "\(base).\(dataset ?? "base").\(method ?? "")", base: base, dataset: dataset, method: dataset == nil ? nil : method,
                           epochs: dataset == nil ? 0 : 10, samples: dataset == nil ? 0 : 1000, schedule: dataset == nil ? nil : "cosine")
        }
        // c0 a percentage, c1 a 1–10 rating (×10). Every run keeps its base's c1, so a run's gain is its c0 gain / 2.
        // a: d1 +2, d2 +4, d3 +6 → gains 1, 2, 3; a LoRA run on d1 (+2, gain 1) joins its cell; a LoRA run on d2
        // missing c1 is left out. b: d1 +6, d2 +2, d3 +4 → gains 3, 1, 2.
        let rows: [(StudyTable.Run, [Double])] = [
            (run("a", nil), [50, 5]), (run("a", "d1"), [52, 5]), (run("a", "d2"), [54, 5]), (run("a", "d3"), [56, 5]),
            (run("a", "d1", "lora"), [52, 5]), (run("a", "d2", "lora"), [90, .nan]),
            (run("b", nil), [40, 6]), (run("b", "d1"), [46, 6]), (run("b", "d2"), [42, 6]), (run("b", "d3"), [44, 6]),
        ]
        var table = StudyTable(runs: rows.map(\.0), columns: [item("c0"), item("c1")], values: rows.flatMap(\.1), mainColumns: [item("c0"), item("c1")],
                               mainBases: [item("a"), item("b")], bases: [item("a"), item("b")], baseLanguage: [:], baseFamily: [:],
                               datasets: [item("d1"), item("d2"), item("d3")], columnCategory: [:], columnScale: ["c0": 1, "c1": 10])
        table.datasetLength = ["d1": 10, "d2": 20, "d3": 30]
        let l = DatasetLengthResult(table)
        #expect(l.cells.map(\.gain) == [1, 2, 3, 3, 1, 2] && l.cells.map(\.runs) == [2, 1, 1, 1, 1, 1])
        // Overall, x = 10,20,30,10,20,30 and y = 1,2,3,3,1,2: Sxy = 10, Sxx = 400, Syy = 4, r = 10/√1600 = 0.25.
        // Per base: a r = 1; b: y = 3,1,2, Sxy = −10, Sxx = 200, Syy = 2, r = −0.5. Dataset means 2, 1.5, 2.5:
        // Sxy = 5, Sxx = 200, Syy = 0.5, r = 0.5.
        let r = Dictionary(uniqueKeysWithValues: l.correlations.map { ($0.group, $0.r!) })
        #expect(abs(r["all"]! - 0.25) < 1e-12 && abs(r["a"]! - 1) < 1e-12 && abs(r["b"]! + 0.5) < 1e-12 && abs(l.acrossDatasets.r! - 0.5) < 1e-12)
        // A modest correlation: the length claim is supported.
        let docs = try PaperAnalyses.compute(table)
        let claims = try JSONDecoder().decode(ClaimsResult.self, from: Data(docs.first { $0.name == "claims" }!.json.utf8))
        let claim = try #require(claims.claims.first { $0.id == "length" })
        #expect(claim.verdict == .supported && claim.statistic.hasPrefix("r = 0.25 over 6 (base, dataset) cells"), "\(claim.statistic)")
    }
}

/// Figs. 4a and 5 from side data, on a small table worked out by hand. Two bases a and b, datasets d1–d3,
/// one main column (a percentage), one 1k cosine full run per cell with gains a: 1, 2, 3 and b: 2, 4, 6.
@Suite struct SideAnalysisTests {
    static func table() -> StudyTable {
        let item = { (id: String) in StudyTable.Item(id: id, name: id) }
        var runs: [StudyTable.Run] = [], values: [Double] = []
        for (base, gains) in [("a", [1.0, 2, 3]), ("b", [2.0, 4, 6])] {
            runs.append(.init(id: "\(base).base", base: base, dataset: nil, method: nil, epochs: 0, samples: 0, schedule: nil))
            values.append(50)
            for (k, g) in gains.enumerated() {
                runs.append(.init(id: "\(base).d\(k + 1)", base: base, dataset: "d\(k + 1)", method: "full", epochs: 10, samples: 1000, schedule: "cosine"))
                values.append(50 + g)
            }
        }
        return StudyTable(runs: runs, columns: [item("c0")], values: values, mainColumns: [item("c0")], mainBases: [item("a"), item("b")],
                          bases: [item("a"), item("b")], baseLanguage: [:], baseFamily: [:], datasets: [item("d1"), item("d2"), item("d3")],
                          columnCategory: [:], columnScale: ["c0": 1])
    }

    @Test func perplexityAgainstGain() throws {
        var t = Self.table()
        // log perplexity a: 3, 2, 1; b: 1, 2, 3; tokens 10, 20, 30 for both.
        for (base, logs) in [("a", [3.0, 2, 1]), ("b", [1.0, 2, 3])] {
            for k in 0..<3 { t.perplexity[.init(base: base, dataset: "d\(k + 1)")] = (exp(logs[k]), Double(10 * (k + 1))) }
        }
        let p = PerplexityResult(t)
        // Overall x = 3,2,1,1,2,3, y = 1,2,3,2,4,6: Sxy = 2, Sxx = 4, Syy = 16, r = 2/√64 = 0.25; a: r = −1; b: r = 1.
        let r = Dictionary(uniqueKeysWithValues: p.correlations.map { ($0.group, $0.r!) })
        #expect(abs(r["all"]! - 0.25) < 1e-12 && abs(r["a"]! + 1) < 1e-12 && abs(r["b"]! - 1) < 1e-12)
        #expect(abs(p.byBenchmark[0].r! - 0.25) < 1e-12)
        // Tokens: x = 10,20,30,10,20,30: Sxy = 60, Sxx = 400, Syy = 16, r = 60/80 = 0.75.
        #expect(abs(p.tokens![0].r! - 0.75) < 1e-12)
        // r ≥ 0: the claim is not supported, with the bases' split stated.
        let claims = ClaimsResult(pca: [:], correlation: [:], gains: [:], map: ScoreMapResult(t), crossLingual: CrossLingualResult(t), similarity: [:],
                                  families: [:], perplexity: p)
        let claim = try #require(claims.claims.first { $0.id == "perplexity" })
        #expect(claim.verdict == .notSupported && claim.statistic.contains("= 0.25 over 6") && claim.statistic.contains("negative for 1 of 2 bases"), "\(claim.statistic)")
    }

    @Test func weightChangeByLayerPosition() {
        var t = Self.table()
        // Two layers per run: the first changes by 1 in every run, the second by a tenth of the run's gain.
        for run in t.runs where run.dataset != nil {
            let g = Double(run.id.last!.wholeNumberValue!) * (run.base == "a" ? 1 : 2)
            t.layerChanges[run.id] = [(0, 0, 1), (1, 1, 0.1 * g)]
        }
        let w = WeightChangeResult(t)
        #expect(w.runs == 6 && w.positions.count == 21)
        // At position 0 every run's change is 1: no correlation; at 1 the change is 0.1 × gain: r = 1.
        #expect(w.positions[0].r == nil && abs(w.positions[20].r! - 1) < 1e-12)
        // At 0.5, halfway: 0.5 + 0.05 g, mean over gains 1,2,3,2,4,6 (mean 3): 0.65.
        #expect(abs(w.positions[10].meanChange! - 0.65) < 1e-12)
        // Across bases at 1: a's changes 0.1, 0.2, 0.3 and b's 0.2, 0.4, 0.6 over d1–d3: r = 1, one pair.
        #expect(abs(w.positions[20].crossBase! - 1) < 1e-12 && w.positions[20].pairs == 1 && w.positions[0].crossBase == nil)
        // Fig. 5b: the layer nearest 0.6 is layer 1 (position 1 is 0.4 away, position 0 is 0.6 away).
        #expect(w.points.allSatisfy { $0.layer == 1 } && abs(w.correlations[0].r! - 1) < 1e-12)
    }
}
