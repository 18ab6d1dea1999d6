@testable import AtlasIngest
@testable import AtlasWeights
import Foundation
import Testing

/// Small safetensors files written here, byte by byte: an 8-byte little-endian header length, the JSON
/// header (padded with spaces to a multiple of 8), then each tensor's little-endian values.
enum Safetensors {
    struct T {
        var name: String
        var dtype: DType
        var shape: [Int]
        var values: [Double]
    }

    static func encode(_ v: Double, _ d: DType) -> [UInt8] {
        switch d {
        case .f32: return withUnsafeBytes(of: Float(v).bitPattern.littleEndian, Array.init)
        case .f16: return withUnsafeBytes(of: Float16(v).bitPattern.littleEndian, Array.init)
        // BF16: the top half of the float's bits (every value used here is exact in BF16).
        case .bf16: return withUnsafeBytes(of: UInt16(Float(v).bitPattern >> 16).littleEndian, Array.init)
        }
    }

    static func bytes(_ tensors: [T], header override: String? = nil) -> [UInt8] {
        var data: [UInt8] = [], entries: [String] = []
        for t in tensors {
            let begin = data.count
            for v in t.values { data += encode(v, t.dtype) }
            entries.append("\"\(t.name)\":{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":\(t.shape),\"data_offsets\":[\(begin),\(data.count)]}")
        }
        var header = override ?? "{" + (["\"__metadata__\":{\"format\":\"pt\"}"] + entries).joined(separator: ",") + "}"
        while header.utf8.count % 8 != 0 { header += " " }
        return withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8) + data
    }

    static func write(_ tensors: [T], to path: String, header: String? = nil) throws {
        try Data(bytes(tensors, header: header)).write(to: URL(fileURLWithPath: path))
    }

    static func folder() -> String {
        let f = NSTemporaryDirectory() + "weights-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: f, withIntermediateDirectories: true)
        return f
    }

    static func mkdir(_ path: String) { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
}

/// The base of the tests, two layers (positions 0 and 1):
///   layers.0.self_attn.q_proj 2×2 [3, 4, 0, 0]    ‖W‖ = 5
///   layers.0.input_layernorm  [1, 1]              ‖W‖ = √2 (a norm: not in the layer's `all`)
///   layers.1.mlp.up_proj      3×5, every value 1  ‖W‖ = √15 (15 elements: the 8-wide loop and its tail)
///   embed_tokens              2×2 zeros           ‖W‖ = 0 (relative: empty)
/// and the tuned checkpoint:
///   q_proj [3, 4, 1, 2]                           ‖Δ‖ = √(1 + 4) = √5
///   input_layernorm unchanged                     ‖Δ‖ = 0
///   up_proj 1 + k/2 for element k = 0…14          ‖Δ‖² = Σ (k/2)² = (14·15·29/6)/4 = 253.75
///   embed_tokens [0, 0, 0, 3]                     ‖Δ‖ = 3
enum Pair {
    static func base(_ d: DType, prefix: String = "model.") -> [Safetensors.T] {
        [.init(name: prefix + "embed_tokens.weight", dtype: d, shape: [2, 2], values: [0, 0, 0, 0]),
         .init(name: prefix + "layers.0.self_attn.q_proj.weight", dtype: d, shape: [2, 2], values: [3, 4, 0, 0]),
         .init(name: prefix + "layers.0.input_layernorm.weight", dtype: d, shape: [2], values: [1, 1]),
         .init(name: prefix + "layers.1.mlp.up_proj.weight", dtype: d, shape: [3, 5], values: Array(repeating: 1, count: 15))]
    }

    static func tuned(_ d: DType, prefix: String = "model.") -> [Safetensors.T] {
        [.init(name: prefix + "embed_tokens.weight", dtype: d, shape: [2, 2], values: [0, 0, 0, 3]),
         .init(name: prefix + "layers.0.self_attn.q_proj.weight", dtype: d, shape: [2, 2], values: [3, 4, 1, 2]),
         .init(name: prefix + "layers.0.input_layernorm.weight", dtype: d, shape: [2], values: [1, 1]),
         .init(name: prefix + "layers.1.mlp.up_proj.weight", dtype: d, shape: [3, 5], values: (0..<15).map { 1 + Double($0) / 2 })]
    }

    /// The rows every variant of the pair must give: (layer, module) → params, ‖Δ‖, ‖W‖.
    static let expected: [String: (Int, Double, Double)] = [
        "-embed_tokens": (4, 3, 0),
        "0-q_proj": (4, 5.0.squareRoot(), 5), "0-input_layernorm": (2, 0, 2.0.squareRoot()),
        "0-all": (4, 5.0.squareRoot(), 5),
        "1-up_proj": (15, 253.75.squareRoot(), 15.0.squareRoot()), "1-all": (15, 253.75.squareRoot(), 15.0.squareRoot()),
    ]

    static func check(_ rows: [WeightRow], _ expected: [String: (Int, Double, Double)] = expected, sourceLocation: SourceLocation = #_sourceLocation) {
        let got = Dictionary(uniqueKeysWithValues: rows.map { ("\($0.layer.map(String.init) ?? "")-\($0.module)", $0) })
        #expect(Set(got.keys) == Set(expected.keys), sourceLocation: sourceLocation)
        for (key, (params, delta, base)) in expected {
            guard let r = got[key] else { continue }
            #expect(r.params == params && abs(r.deltaFro - delta) <= 1e-12 * max(1, delta) && abs(r.baseFro - base) <= 1e-12 * max(1, base), "\(key): \(r)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct WeightChangeTests {
    @Test func aSingleFilePairInEachDtype() throws {
        for d in DType.allCases {
            let f = Safetensors.folder()
            defer { try? FileManager.default.removeItem(atPath: f) }
            Safetensors.mkdir(f + "/base"); Safetensors.mkdir(f + "/tuned")
            try Safetensors.write(Pair.base(d), to: f + "/base/model.safetensors")
            try Safetensors.write(Pair.tuned(d), to: f + "/tuned/model.safetensors")
            let rows = try WeightChange.compute(run: "r", base: Checkpoint(path: f + "/base"), tuned: TunedWeights(path: f + "/tuned"))
            Pair.check(rows)
            // Positions: layer / (L − 1) with L = 2; outside the layers, none. The embeddings come first.
            #expect(rows.first?.module == "embed_tokens" && rows.first?.position == nil)
            #expect(rows.filter { $0.layer == 1 }.allSatisfy { $0.position == 1 } && rows.filter { $0.layer == 0 }.allSatisfy { $0.position == 0 })
            // ‖W‖ = 0: no relative change; up_proj's is √253.75 / √15.
            #expect(rows.first?.relative == nil && rows.first?.csv == "r,,,embed_tokens,4,3.0,0.0,")
            #expect(abs(rows.first { $0.module == "up_proj" }!.relative! - (253.75 / 15).squareRoot()) < 1e-12)
        }
    }

    @Test func aShardedTunedCheckpointInAnotherDtypeWithoutThePrefix() throws {
        let f = Safetensors.folder()
        defer { try? FileManager.default.removeItem(atPath: f) }
        Safetensors.mkdir(f + "/base"); Safetensors.mkdir(f + "/tuned")
        try Safetensors.write(Pair.base(.bf16), to: f + "/base/model.safetensors")
        let tuned = Pair.tuned(.f32, prefix: "")
        try Safetensors.write(Array(tuned.prefix(2)), to: f + "/tuned/model-00001-of-00002.safetensors")
        try Safetensors.write(Array(tuned.suffix(2)), to: f + "/tuned/model-00002-of-00002.safetensors")
        let map = tuned.enumerated().map { "\"\($1.name)\": \"model-0000\($0 < 2 ? 1 : 2)-of-00002.safetensors\"" }.joined(separator: ", ")
        try Data("{\"metadata\": {}, \"weight_map\": {\(map)}}".utf8).write(to: URL(fileURLWithPath: f + "/tuned/model.safetensors.index.json"))
        let rows = try WeightChange.compute(run: "r", base: Checkpoint(path: f + "/base"), tuned: TunedWeights(path: f + "/tuned"), threads: 3)
        Pair.check(rows)
    }

    /// LoRA over the same base (F16 here). q_proj: A (4 × 2) = [[1,0],[0,1],[0,0],[0,0]], B (2 × 4) =
    /// [[1,0,0,0],[0,1,0,0]], so B·A = I₂ and ‖B·A‖ = √2; r = 4, lora_alpha = 8: s = 8/4 = 2, ‖Δ‖ = 2√2; with
    /// rsLoRA s = 8/√4 = 4, ‖Δ‖ = 4√2. alpha_pattern gives layer 0's q_proj alpha 16 in the third case:
    /// s = 16/4 = 4, ‖Δ‖ = 4√2. up_proj (3 × 5) with rank_pattern r = 2: A (2 × 5) row 0 = [2,0,0,0,0], row 1
    /// zeros; B (3 × 2) column 0 = [1,0,0]: B·A has one 2, ‖B·A‖ = 2, s = 8/2 = 4, ‖Δ‖ = 8 (rsLoRA: s = 8/√2 =
    /// 4√2, ‖Δ‖ = 8√2). Unadapted tensors change by 0.
    @Test func aLoRAAdapterWithAndWithoutRsLoRAAndPatterns() throws {
        let f = Safetensors.folder()
        defer { try? FileManager.default.removeItem(atPath: f) }
        Safetensors.mkdir(f + "/base"); Safetensors.mkdir(f + "/lora")
        try Safetensors.write(Pair.base(.f16), to: f + "/base/model.safetensors")
        let p = "base_model.model.model.layers."
        try Safetensors.write([
            .init(name: p + "0.self_attn.q_proj.lora_A.weight", dtype: .f32, shape: [4, 2], values: [1, 0, 0, 1, 0, 0, 0, 0]),
            .init(name: p + "0.self_attn.q_proj.lora_B.weight", dtype: .bf16, shape: [2, 4], values: [1, 0, 0, 0, 0, 1, 0, 0]),
            .init(name: p + "1.mlp.up_proj.lora_A.weight", dtype: .f32, shape: [2, 5], values: [2, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            .init(name: p + "1.mlp.up_proj.lora_B.weight", dtype: .f32, shape: [3, 2], values: [1, 0, 0, 0, 0, 0]),
        ], to: f + "/lora/adapter_model.safetensors")
        func run(_ config: String) throws -> [WeightRow] {
            try Data(config.utf8).write(to: URL(fileURLWithPath: f + "/lora/adapter_config.json"))
            return try WeightChange.compute(run: "r", base: Checkpoint(path: f + "/base"), tuned: TunedWeights(path: f + "/lora"))
        }
        func expected(q: Double, up: Double) -> [String: (Int, Double, Double)] {
            ["-embed_tokens": (4, 0, 0), "0-q_proj": (4, q, 5), "0-input_layernorm": (2, 0, 2.0.squareRoot()), "0-all": (4, q, 5),
             "1-up_proj": (15, up, 15.0.squareRoot()), "1-all": (15, up, 15.0.squareRoot())]
        }
        let pattern = "\"rank_pattern\": {\"up_proj\": 2}"
        Pair.check(try run("{\"r\": 4, \"lora_alpha\": 8, \(pattern)}"), expected(q: 2 * 2.0.squareRoot(), up: 8))
        Pair.check(try run("{\"r\": 4, \"lora_alpha\": 8, \"use_rslora\": true, \(pattern)}"), expected(q: 4 * 2.0.squareRoot(), up: 8 * 2.0.squareRoot()))
        Pair.check(try run("{\"r\": 4, \"lora_alpha\": 8, \(pattern), \"alpha_pattern\": {\"layers.0.self_attn.q_proj\": 16}}"), expected(q: 4 * 2.0.squareRoot(), up: 8))
        // A pattern for another module leaves these alone.
        Pair.check(try run("{\"r\": 4, \"lora_alpha\": 8, \(pattern), \"alpha_pattern\": {\"layers.1.self_attn.q_proj\": 16}}"), expected(q: 2 * 2.0.squareRoot(), up: 8))
    }

    @Test func namesAreNormalizedAndPlaced() {
        #expect(Checkpoint.normalize("model.layers.3.mlp.up_proj.weight") == "layers.3.mlp.up_proj.weight")
        #expect(Checkpoint.normalize("base_model.model.model.layers.3.x") == "layers.3.x")
        #expect(WeightChange.place("layers.3.mlp.up_proj.weight") == (3, "up_proj"))
        #expect(WeightChange.place("layers.3.self_attn.q_proj.bias") == (3, "q_proj.bias"))
        #expect(WeightChange.place("layers.12.input_layernorm.weight") == (12, "input_layernorm"))
        #expect(WeightChange.place("lm_head.weight") == (nil, "lm_head") && WeightChange.place("layers.x.y.weight") == (nil, "layers.x.y"))
    }

    @Test func shardsAreContiguousBlocksThatMakeTheWhole() throws {
        let f = Safetensors.folder()
        defer { try? FileManager.default.removeItem(atPath: f) }
        try Data(("run,base,tuned\n" + (1...7).map { "r\($0),b,/abs/t\($0)\n" }.joined()).utf8).write(to: URL(fileURLWithPath: f + "/pairs.csv"))
        let pairs = try WeightPairs(path: f + "/pairs.csv")
        #expect(pairs.pairs.first?.base == f + "/b" && pairs.pairs.first?.tuned == "/abs/t1")
        for n in 1...9 {
            let joined = (0..<n).flatMap { pairs.shard($0, of: n).map(\.run) }
            #expect(joined == pairs.pairs.map(\.run), "\(n) shards")
        }
        #expect(pairs.shard(0, of: 3).map(\.run) == ["r1", "r2"] && pairs.shard(2, of: 3).map(\.run) == ["r5", "r6", "r7"])
    }
}

/// Every way a checkpoint can be wrong: each a clear error naming the file and, where there is one, the tensor.
@Suite struct WeightErrorTests {
    func error(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    func file(_ bytes: [UInt8]) throws -> String {
        let path = Safetensors.folder() + "/model.safetensors"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func badFilesAreRefusedWithTheirFileAndTensor() throws {
        let le = { (n: UInt64) in withUnsafeBytes(of: n.littleEndian, Array.init) }
        let cases: [([UInt8], [String])] = [
            // A header length beyond the file, and one above 100 MB.
            (le(1000) + Array("{}".utf8), ["header length is 1000 bytes, beyond the file's 10"]),
            (le(200_000_000) + Array("{}      ".utf8), ["above the 100 MB"]),
            // Truncated before the header length ends.
            ([1, 0, 0, 0, 0], ["is 5 bytes", "truncated"]),
            // A header that is not an object, and one that is not JSON.
            (Safetensors.bytes([], header: "[1, 2]"), ["the header is an array; expected a JSON object"]),
            (Safetensors.bytes([], header: "{\"a\": "), ["not valid JSON"]),
            // Offsets beyond the data, overlapping, or not the size of dtype × shape.
            (Safetensors.bytes([], header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}"), ["tensor w", "beyond the 0 bytes of data", "truncated"]),
            (Safetensors.bytes([.init(name: "pad", dtype: .f32, shape: [3], values: [1, 2, 3])],
                               header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"),
             ["tensor b", "overlaps tensor a"]),
            (Safetensors.bytes([.init(name: "pad", dtype: .f32, shape: [3], values: [1, 2, 3])],
                               header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}"), ["tensor w", "span 4 bytes; F32 × shape [2] needs 8"]),
            // An unsupported dtype.
            (Safetensors.bytes([.init(name: "pad", dtype: .f32, shape: [2], values: [1, 2])],
                               header: "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}"), ["tensor ids", "dtype I64 is not supported"]),
        ]
        for (bytes, expected) in cases {
            let path = try file(bytes)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let message = error { _ = try SafetensorsFile(path: path) }
            #expect(message.hasPrefix(path + ": ") && expected.allSatisfy(message.contains), "\(message)")
        }
    }

    @Test func mismatchedPairsAreRefused() throws {
        let f = Safetensors.folder()
        defer { try? FileManager.default.removeItem(atPath: f) }
        Safetensors.mkdir(f + "/base"); Safetensors.mkdir(f + "/tuned"); Safetensors.mkdir(f + "/other"); Safetensors.mkdir(f + "/lora")
        try Safetensors.write(Pair.base(.bf16), to: f + "/base/model.safetensors")
        // A tensor on one side only, listed, on each side.
        var tuned = Pair.tuned(.bf16)
        tuned[0].name = "model.extra.weight"
        try Safetensors.write(tuned, to: f + "/tuned/model.safetensors")
        let one = error { _ = try WeightChange.compute(run: "r", base: Checkpoint(path: f + "/base"), tuned: TunedWeights(path: f + "/tuned")) }
        #expect(one.contains("1 only in the base (embed_tokens.weight)") && one.contains("1 only in the tuned checkpoint (extra.weight)"), "\(one)")
        // Shapes that differ.
        var reshaped = Pair.tuned(.bf16)
        reshaped[1].shape = [1, 4]
        try Safetensors.write(reshaped, to: f + "/other/model.safetensors")
        let shape = error { _ = try WeightChange.compute(run: "r", base: Checkpoint(path: f + "/base"), tuned: TunedWeights(path: f + "/other")) }
        #expect(shape.contains("/other/model.safetensors: tensor model.layers.0.self_attn.q_proj.weight: has shape [1, 4]; the base's") && shape.contains("has [2, 2]"), "\(shape)")
        // A LoRA config without r.
        try Safetensors.write([.init(name: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", dtype: .f32, shape: [1, 2], values: [1, 2])],
                              to: f + "/lora/adapter_model.safetensors")
        try Data("{\"lora_alpha\": 8}".utf8).write(to: URL(fileURLWithPath: f + "/lora/adapter_config.json"))
        let noRank = error { _ = try TunedWeights(path: f + "/lora") }
        #expect(noRank.contains("adapter_config.json: has no r (the LoRA rank)"), "\(noRank)")
        // With r, the lone lora_A is named.
        try Data("{\"r\": 1}".utf8).write(to: URL(fileURLWithPath: f + "/lora/adapter_config.json"))
        let half = error { _ = try TunedWeights(path: f + "/lora") }
        #expect(half.contains("tensor layers.0.self_attn.q_proj: has lora_A but no lora_B"), "\(half)")
        // An index naming a file that does not hold the tensor, and a folder with no checkpoint.
        Safetensors.mkdir(f + "/sharded")
        try Safetensors.write(Pair.base(.bf16), to: f + "/sharded/a.safetensors")
        try Safetensors.write([], to: f + "/sharded/b.safetensors")
        try Data("{\"weight_map\": {\"model.embed_tokens.weight\": \"b.safetensors\"}}".utf8).write(to: URL(fileURLWithPath: f + "/sharded/model.safetensors.index.json"))
        let index = error { _ = try Checkpoint(path: f + "/sharded") }
        #expect(index.contains("model.safetensors.index.json: tensor model.embed_tokens.weight: is listed in b.safetensors, which does not hold it"), "\(index)")
        let empty = error { _ = try Checkpoint(path: f + "/other/../lora") }
        #expect(empty.contains("holds neither model.safetensors nor model.safetensors.index.json"), "\(empty)")
    }
}
