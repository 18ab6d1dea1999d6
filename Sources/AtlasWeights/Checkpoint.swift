import AtlasIngest
import Foundation

/// A model checkpoint: its tensors by normalized name, from one safetensors file or several named by
/// `model.safetensors.index.json`. Names lose a leading `base_model.model.` (a PEFT adapter's) and then
/// `model.`, so `model.layers.0.mlp.up_proj.weight` and `layers.0.mlp.up_proj.weight` are one tensor.
public final class Checkpoint: @unchecked Sendable {
    public struct Entry: Sendable {
        public var file: SafetensorsFile
        public var tensor: SafetensorsFile.Tensor
    }

    public let folder: String
    public let files: [SafetensorsFile]
    /// Normalized name → entry.
    public let tensors: [String: Entry]

    public static func normalize(_ name: String) -> String {
        var n = Substring(name)
        if n.hasPrefix("base_model.model.") { n = n.dropFirst("base_model.model.".count) }
        if n.hasPrefix("model.") { n = n.dropFirst("model.".count) }
        return String(n)
    }

    /// Opens a checkpoint folder (sharded, with `model.safetensors.index.json`, or `model.safetensors`), or
    /// a single `.safetensors` file.
    public init(path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw WeightsError(file: path, message: "does not exist; expected a checkpoint folder or a .safetensors file")
        }
        folder = isFolder.boolValue ? path : (path as NSString).deletingLastPathComponent
        var paths: [String] = []
        var listed: [(tensor: String, file: String)] = []
        if !isFolder.boolValue {
            paths = [path]
        } else if FileManager.default.fileExists(atPath: path + "/model.safetensors.index.json") {
            let index = path + "/model.safetensors.index.json"
            let root = try readJSON(index, maxBytes: 100_000_000)
            guard let map = root["weight_map"]?.object else { throw WeightsError(file: index, message: "has no weight_map object; expected {\"weight_map\": {tensor: file}}") }
            for (tensor, file) in map {
                guard let f = file.string, !f.isEmpty, !f.hasPrefix("/"), !f.split(separator: "/").contains("..") else {
                    throw WeightsError(file: index, tensor: tensor, message: "its file is \(file.kind); expected a file name in the folder")
                }
                listed.append((tensor, f))
                if !paths.contains(path + "/" + f) { paths.append(path + "/" + f) }
            }
            guard !paths.isEmpty else { throw WeightsError(file: index, message: "its weight_map is empty") }
        } else if FileManager.default.fileExists(atPath: path + "/model.safetensors") {
            paths = [path + "/model.safetensors"]
        } else {
            throw WeightsError(file: path, message: "holds neither model.safetensors nor model.safetensors.index.json (nor, for an adapter, adapter_config.json)")
        }
        files = try paths.map { try SafetensorsFile(path: $0) }
        var byName: [String: Entry] = [:]
        for file in files {
            for t in file.tensors {
                let n = Self.normalize(t.name)
                if let other = byName[n] {
                    throw WeightsError(file: file.path, tensor: t.name, message: "is the same tensor as \(other.tensor.name) in \(other.file.path) once the model. prefix is dropped")
                }
                byName[n] = Entry(file: file, tensor: t)
            }
        }
        // The index must name only tensors its files hold.
        for (tensor, f) in listed {
            guard let e = byName[Self.normalize(tensor)], e.file.path == path + "/" + f else {
                throw WeightsError(file: path + "/model.safetensors.index.json", tensor: tensor, message: "is listed in \(f), which does not hold it")
            }
        }
        tensors = byName
    }

}

/// A PEFT LoRA adapter: `adapter_config.json` (r, lora_alpha, use_rslora, rank_pattern, alpha_pattern) and
/// `adapter_model.safetensors` with `lora_A` (r × in) and `lora_B` (out × r) per adapted module. Each
/// module's change is ΔW = B·A·s, s = alpha / r, or alpha / √r with rsLoRA.
public final class LoRAAdapter: @unchecked Sendable {
    public struct Module: Sendable {
        /// The adapted weight's normalized name (`layers.0.self_attn.q_proj.weight`).
        public var weight: String
        public var a: Checkpoint.Entry
        public var b: Checkpoint.Entry
        public var rank: Int
        public var scale: Double
    }

    public let folder: String
    public let modules: [String: Module]
    let checkpoint: Checkpoint

    public static func isAdapter(_ folder: String) -> Bool { FileManager.default.fileExists(atPath: folder + "/adapter_config.json") }

    public init(folder: String) throws {
        self.folder = folder
        let configPath = folder + "/adapter_config.json"
        let config = try readJSON(configPath, maxBytes: 10_000_000)
        guard config.object != nil else { throw WeightsError(file: configPath, message: "is \(config.kind); expected an object") }
        guard let r = config["r"]?.number else { throw WeightsError(file: configPath, message: "has no r (the LoRA rank); expected a whole number above 0") }
        func positive(_ x: Double, _ what: String) throws -> Int {
            guard x >= 1, x == x.rounded(), x <= 1_000_000 else { throw WeightsError(file: configPath, message: "\(what) is \(x); expected a whole number from 1 to 1000000") }
            return Int(x)
        }
        let rank = try positive(r, "r")
        let alpha = config["lora_alpha"]?.number ?? 8
        guard alpha.isFinite else { throw WeightsError(file: configPath, message: "lora_alpha is not a finite number") }
        let rs: Bool
        switch config["use_rslora"] {
        case nil, .null?: rs = false
        case .bool(let b)?: rs = b
        default: throw WeightsError(file: configPath, message: "use_rslora is \(config["use_rslora"]!.kind); expected true or false")
        }
        func patterns(_ key: String) throws -> [(NSRegularExpression, Double)] {
            guard let node = config[key], case .object(let pairs) = node else { return [] }
            return try pairs.map { k, v in
                guard let x = v.number else { throw WeightsError(file: configPath, message: "\(key)[\"\(IngestError.excerpt(k))\"] is \(v.kind); expected a number") }
                // As PEFT matches a pattern key: the module's name is the key or ends in "." and the key.
                guard let re = try? NSRegularExpression(pattern: "^(.*\\.)?(" + k + ")$") else {
                    throw WeightsError(file: configPath, message: "\(key) key \(IngestError.excerpt(k)) is not a regular expression")
                }
                return (re, x)
            }
        }
        let rankPattern = try patterns("rank_pattern"), alphaPattern = try patterns("alpha_pattern")
        let weights = folder + "/adapter_model.safetensors"
        guard FileManager.default.fileExists(atPath: weights) else { throw WeightsError(file: folder, message: "has adapter_config.json but no adapter_model.safetensors") }
        checkpoint = try Checkpoint(path: weights)
        var halves: [String: (a: Checkpoint.Entry?, b: Checkpoint.Entry?)] = [:]
        for (name, entry) in checkpoint.tensors {
            // `layers.0.self_attn.q_proj.lora_A.weight`, or with the adapter's name: `.lora_A.default.weight`.
            var stem = Substring(name)
            guard stem.hasSuffix(".weight") else { continue }
            stem = stem.dropLast(".weight".count)
            if stem.hasSuffix(".default") { stem = stem.dropLast(".default".count) }
            if stem.hasSuffix(".lora_A") { halves[String(stem.dropLast(7)), default: (nil, nil)].a = entry }
            else if stem.hasSuffix(".lora_B") { halves[String(stem.dropLast(7)), default: (nil, nil)].b = entry }
        }
        guard !halves.isEmpty else { throw WeightsError(file: weights, message: "holds no lora_A or lora_B weights") }
        var modules: [String: Module] = [:]
        for (module, pair) in halves {
            guard let a = pair.a, let b = pair.b else {
                throw WeightsError(file: weights, tensor: module, message: "has lora_\(pair.a == nil ? "B" : "A") but no lora_\(pair.a == nil ? "A" : "B")")
            }
            // The name PEFT matches patterns against: the module's path in the model, without the PEFT prefix.
            let peftName = Self.peftName(a.tensor.name)
            let range = NSRange(peftName.startIndex..., in: peftName)
            let r = try rankPattern.first { $0.0.firstMatch(in: peftName, range: range) != nil }.map { try positive($0.1, "rank_pattern's r") } ?? rank
            let al = alphaPattern.first { $0.0.firstMatch(in: peftName, range: range) != nil }?.1 ?? alpha
            guard a.tensor.shape.count == 2, b.tensor.shape.count == 2, a.tensor.shape[0] == r, b.tensor.shape[1] == r else {
                throw WeightsError(file: weights, tensor: module, message: "lora_A is \(a.tensor.shape) and lora_B \(b.tensor.shape); with r = \(r) expected r × in and out × r")
            }
            modules[module + ".weight"] = Module(weight: module + ".weight", a: a, b: b, rank: r, scale: rs ? al / Double(r).squareRoot() : al / Double(r))
        }
        self.modules = modules
    }

    /// `base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight` → `model.layers.0.self_attn.q_proj`.
    static func peftName(_ tensor: String) -> String {
        var n = Substring(tensor)
        if n.hasPrefix("base_model.model.") { n = n.dropFirst("base_model.model.".count) }
        if n.hasSuffix(".weight") { n = n.dropLast(".weight".count) }
        if n.hasSuffix(".default") { n = n.dropLast(".default".count) }
        if n.hasSuffix(".lora_A") || n.hasSuffix(".lora_B") { n = n.dropLast(".lora_A".count) }
        return String(n)
    }
}

/// A JSON file's value; its errors name the file and the line.
func readJSON(_ path: String, maxBytes: Int) throws -> JSONNode {
    do {
        return try JSONDocument(bytes: try FileInput.read(path, maxBytes: maxBytes), file: path).root
    } catch {
        throw WeightsError(file: path, message: (error.line.map { "line \($0): " } ?? "") + error.message)
    }
}
