import AtlasIngest
import Foundation

/// The fine-tuned side of a pair: a whole checkpoint, or a LoRA adapter over the base.
public enum TunedWeights {
    case full(Checkpoint)
    case lora(LoRAAdapter)

    public init(path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue, LoRAAdapter.isAdapter(path) {
            self = .lora(try LoRAAdapter(folder: path))
        } else {
            self = .full(try Checkpoint(path: path))
        }
    }

    var folder: String {
        switch self {
        case .full(let c): return c.folder
        case .lora(let a): return a.folder
        }
    }
}

/// One row of the output: a tensor's change, or a layer's over its weight matrices (`module` "all").
public struct WeightRow: Equatable, Sendable {
    public var run: String
    public var layer: Int?
    public var position: Double?
    public var module: String
    public var params: Int
    /// Σ (W_tuned − W_base)² and Σ W_base², in Double.
    public var deltaSquares: Double
    public var baseSquares: Double

    public var deltaFro: Double { deltaSquares.squareRoot() }
    public var baseFro: Double { baseSquares.squareRoot() }
    public var relative: Double? { baseSquares > 0 ? deltaFro / baseFro : nil }

    public static let header = "run,layer,position,module,params,delta_fro,base_fro,relative"

    /// The row as CSV (RFC 4180: the run quoted when it holds a comma, quote or line break).
    public var csv: String {
        var run = self.run
        if run.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) { run = "\"" + run.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return [run, layer.map(String.init) ?? "", position.map { "\($0)" } ?? "", module, String(params),
                "\(deltaFro)", "\(baseFro)", relative.map { "\($0)" } ?? ""].joined(separator: ",")
    }
}

/// Layer-wise weight change between a base checkpoint and its fine-tuned version (or LoRA adapter).
public enum WeightChange {
    /// Elements per unit of work: large tensors are split so that every core has work.
    static let chunk = 1 << 22

    /// The layer a normalized tensor name belongs to (`layers.<i>.`), and the module: the rest of the name
    /// without a leading `self_attn.` or `mlp.` and without `.weight` (`q_proj`, `input_layernorm`,
    /// `q_proj.bias`). Outside the layers, the module is the name without `.weight` (`embed_tokens`).
    public static func place(_ name: String) -> (layer: Int?, module: String) {
        var parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "weight" { parts.removeLast() }
        if let k = parts.firstIndex(of: "layers"), k + 1 < parts.count, let layer = Int(parts[k + 1]), layer >= 0, String(layer) == parts[k + 1] {
            var rest = Array(parts[(k + 2)...])
            if let first = rest.first, first == "self_attn" || first == "mlp", rest.count > 1 { rest.removeFirst() }
            return (layer, rest.joined(separator: "."))
        }
        return (nil, parts.joined(separator: "."))
    }

    /// The fixed order of a layer's modules in the output; others follow by name, then `all`.
    static let moduleOrder = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "input_layernorm", "post_attention_layernorm"]

    /// Progress, as bytes of tensor data read out of the total.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// Every row for one pair. Throws, naming the file and tensor, when the two sides do not match.
    public static func compute(run: String, base: Checkpoint, tuned: TunedWeights, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                               progress: Progress? = nil) throws -> [WeightRow] {
        let names = base.tensors.keys.sorted()
        // What each base tensor is compared with.
        var partner: [String: Checkpoint.Entry] = [:]
        var lora: [String: LoRAAdapter.Module] = [:]
        switch tuned {
        case .full(let t):
            let onlyBase = names.filter { t.tensors[$0] == nil }, onlyTuned = t.tensors.keys.filter { base.tensors[$0] == nil }.sorted()
            if !onlyBase.isEmpty || !onlyTuned.isEmpty {
                func list(_ xs: [String]) -> String { xs.prefix(10).joined(separator: ", ") + (xs.count > 10 ? " and \(xs.count - 10) more" : "") }
                var parts: [String] = []
                if !onlyBase.isEmpty { parts.append("\(onlyBase.count) only in the base (\(list(onlyBase)))") }
                if !onlyTuned.isEmpty { parts.append("\(onlyTuned.count) only in the tuned checkpoint (\(list(onlyTuned)))") }
                throw WeightsError(file: t.folder, message: "the two checkpoints hold different tensors: " + parts.joined(separator: "; "))
            }
            for n in names {
                let b = base.tensors[n]!, x = t.tensors[n]!
                guard b.tensor.shape == x.tensor.shape else {
                    throw WeightsError(file: x.file.path, tensor: x.tensor.name, message: "has shape \(x.tensor.shape); the base's \(b.tensor.name) has \(b.tensor.shape)")
                }
                partner[n] = x
            }
        case .lora(let adapter):
            for (weight, m) in adapter.modules {
                guard let b = base.tensors[weight] else {
                    throw WeightsError(file: m.a.file.path, tensor: m.a.tensor.name, message: "adapts \(weight), which the base checkpoint does not hold")
                }
                let shape = [m.b.tensor.shape[0], m.a.tensor.shape[1]]
                guard b.tensor.shape == shape else {
                    throw WeightsError(file: m.a.file.path, tensor: m.a.tensor.name, message: "makes a change of shape \(shape); the base's \(b.tensor.name) has \(b.tensor.shape)")
                }
                lora[weight] = m
            }
        }
        // Units of work: chunks of tensors (sums of squares), and whole LoRA modules (the Gram matrices).
        enum Job { case chunk(Int, Range<Int>), lora(Int) }
        var jobs: [Job] = []
        var firstJob: [Int] = []
        for (k, n) in names.enumerated() {
            firstJob.append(jobs.count)
            let count = base.tensors[n]!.tensor.count
            var lo = 0
            repeat {
                let hi = min(count, lo + chunk)
                jobs.append(.chunk(k, lo..<hi))
                lo = hi
            } while lo < count
            if lora[n] != nil { jobs.append(.lora(k)) }
        }
        firstJob.append(jobs.count)
        let total = names.reduce(0) { $0 + base.tensors[$1]!.tensor.bytes + (partner[$1]?.tensor.bytes ?? 0) + (lora[$1].map { $0.a.tensor.bytes + $0.b.tensor.bytes } ?? 0) }
        let results = UnsafeMutableBufferPointer<(Double, Double)>.allocate(capacity: jobs.count)
        results.initialize(repeating: (0, 0))
        defer { results.deallocate() }
        let state = WorkState()
        let workers = max(1, min(threads, jobs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let j = state.next(jobs.count) {
                var bytes = 0
                switch jobs[j] {
                case .chunk(let k, let range):
                    let b = base.tensors[names[k]]!, t = partner[names[k]]
                    results[j] = Kernels.squares(b.file.data(b.tensor), b.tensor.dtype, t.map { $0.file.data($0.tensor) }, t?.tensor.dtype ?? .f32, range)
                    bytes = range.count * (b.tensor.dtype.size + (t?.tensor.dtype.size ?? 0))
                case .lora(let k):
                    let m = lora[names[k]]!
                    let sq = Kernels.loraSquares(a: m.a.file.data(m.a.tensor), m.a.tensor.dtype, n: m.a.tensor.shape[1],
                                                 b: m.b.file.data(m.b.tensor), m.b.tensor.dtype, m: m.b.tensor.shape[0], r: m.rank)
                    results[j] = (sq * m.scale * m.scale, 0)
                    bytes = m.a.tensor.bytes + m.b.tensor.bytes
                }
                let done = state.add(bytes)
                progress?(done, total)
            }
        }
        // Per tensor: its chunks' sums in order, so the result does not depend on the threads.
        var rows: [WeightRow] = []
        var layers = 0
        let places = names.map(place)
        for p in places { if let l = p.layer { layers = max(layers, l + 1) } }
        func position(_ l: Int) -> Double { layers > 1 ? Double(l) / Double(layers - 1) : 0 }
        var tensorRows: [WeightRow] = []
        for (k, n) in names.enumerated() {
            var delta = 0.0, baseSq = 0.0
            for j in firstJob[k]..<firstJob[k + 1] { delta += results[j].0; baseSq += results[j].1 }
            let t = base.tensors[n]!.tensor
            tensorRows.append(WeightRow(run: run, layer: places[k].layer, position: places[k].layer.map(position), module: places[k].module,
                                        params: t.count, deltaSquares: delta, baseSquares: baseSq))
        }
        let matrices = Set(names.enumerated().filter { base.tensors[$0.element]!.tensor.shape.count == 2 }.map(\.offset))
        func rank(_ m: String) -> (Int, String) { (moduleOrder.firstIndex(of: m) ?? moduleOrder.count, m) }
        let outside = tensorRows.indices.filter { tensorRows[$0].layer == nil }
        // The embeddings first, then the layers in order, then the rest outside the layers (norm, lm_head).
        rows += outside.filter { tensorRows[$0].module == "embed_tokens" }.map { tensorRows[$0] }
        var byLayer: [Int: [Int]] = [:]
        for i in tensorRows.indices { if let l = tensorRows[i].layer { byLayer[l, default: []].append(i) } }
        for l in byLayer.keys.sorted() {
            let members = byLayer[l]!.sorted { rank(tensorRows[$0].module) < rank(tensorRows[$1].module) }
            rows += members.map { tensorRows[$0] }
            let m = members.filter { matrices.contains($0) }
            rows.append(WeightRow(run: run, layer: l, position: position(l), module: "all", params: m.reduce(0) { $0 + tensorRows[$1].params },
                                  deltaSquares: m.reduce(0) { $0 + tensorRows[$1].deltaSquares }, baseSquares: m.reduce(0) { $0 + tensorRows[$1].baseSquares }))
        }
        rows += outside.filter { tensorRows[$0].module != "embed_tokens" }.sorted { tensorRows[$0].module < tensorRows[$1].module }.map { tensorRows[$0] }
        return rows
    }
}

/// The next job to take and the bytes done, shared by the workers.
private final class WorkState: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = 0, bytes = 0

    func next(_ count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard taken < count else { return nil }
        taken += 1
        return taken - 1
    }

    func add(_ n: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        bytes += n
        return bytes
    }
}
