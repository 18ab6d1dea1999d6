import AtlasIngest
import AtlasWeights
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Layer-wise weight change between base and fine-tuned checkpoints (safetensors), as a CSV for ingest.",
        discussion: """
            One pair:  sftatlas weights --base DIR --tuned DIR --run RUN_ID --out changes.csv
            Many:      sftatlas weights --pairs pairs.csv --out changes.csv [--shard I/N]
            pairs.csv has the header run,base,tuned (folders relative to the file). A folder holds
            model.safetensors, or shards named by model.safetensors.index.json; --tuned may be a PEFT LoRA
            adapter (adapter_config.json + adapter_model.safetensors). BF16, F16 and F32, mixed.
            Output: run,layer,position,module,params,delta_fro,base_fro,relative — one row per layer and
            module, one per layer with module 'all' (its weight matrices), and rows for the tensors outside
            the layers. --shard I/N (I from 0) takes the I-th of N contiguous blocks of pairs.csv: the shards'
            outputs, concatenated in order without their headers, are the unsharded output.
            """
    )

    @Option(help: "The base model's checkpoint folder (or .safetensors file).")
    var base: String?

    @Option(help: "The fine-tuned checkpoint folder, or a PEFT LoRA adapter folder.")
    var tuned: String?

    @Option(name: .customLong("run"), help: "The run's id, as the output's first column.")
    var runID: String?

    @Option(help: "A CSV of pairs: run,base,tuned.")
    var pairs: String?

    @Option(help: "I/N: only the I-th (from 0) of N contiguous blocks of the pairs.")
    var shard: String?

    @Option(help: "The CSV to write (replaced only when every pair succeeds).")
    var out: String

    @Option(help: "Worker threads (default: the available cores).")
    var threads: Int?

    func validate() throws {
        if pairs == nil {
            guard base != nil, tuned != nil, runID != nil else { throw ValidationError("give --base, --tuned and --run, or --pairs") }
            guard shard == nil else { throw ValidationError("--shard applies to --pairs only") }
        } else {
            guard base == nil, tuned == nil, runID == nil else { throw ValidationError("--pairs replaces --base, --tuned and --run") }
        }
        if let shard { _ = try Self.shard(shard) }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be from 1 to 1024") }
    }

    static func shard(_ text: String) throws -> (Int, Int) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), (1...100_000).contains(n), (0..<n).contains(i) else {
            throw ValidationError("--shard is '\(text)'; expected I/N with N from 1 to 100000 and I from 0 to N-1")
        }
        return (i, n)
    }

    func run() throws {
        var list: [(run: String, base: String, tuned: String)]
        if let pairs {
            let file: WeightPairs
            do { file = try WeightPairs(path: pairs) } catch { Console.error("error: \(error)"); throw ExitCode(1) }
            let chosen = try shard.map { try Self.shard($0) }.map { file.shard($0.0, of: $0.1) } ?? file.pairs[...]
            list = chosen.map { ($0.run, $0.base, $0.tuned) }
        } else {
            list = [(runID!, base!, tuned!)]
        }
        let temporary = out + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            Console.error("error: \(out): cannot write beside it (\(String(cString: strerror(errno))))")
            throw ExitCode(1)
        }
        let started = Date()
        var bytesRead = 0, rowsWritten = 0
        do {
            try handle.write(contentsOf: Data((WeightRow.header + "\n").utf8))
            for (k, pair) in list.enumerated() {
                let bar = ProgressBar(label: list.count > 1 ? "\(k + 1)/\(list.count) \(pair.run)" : pair.run)
                let baseCheckpoint = try Checkpoint(path: pair.base)
                let tunedWeights = try TunedWeights(path: pair.tuned)
                let rows = try WeightChange.compute(run: pair.run, base: baseCheckpoint, tuned: tunedWeights, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                                    progress: bar.update)
                bar.finish()
                bytesRead += bar.total
                rowsWritten += rows.count
                try handle.write(contentsOf: Data(rows.map { $0.csv + "\n" }.joined().utf8))
            }
            try handle.close()
            guard rename(temporary, out) == 0 else { throw WeightsError(file: out, message: "cannot be replaced: \(String(cString: strerror(errno)))") }
        } catch {
            try? handle.close()
            unlink(temporary)
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
        let seconds = Date().timeIntervalSince(started)
        Console.error(String(format: "weights: %d pair%@, %d rows, %.2f GB of tensors read in %.2f s → %@", list.count, list.count == 1 ? "" : "s",
                             rowsWritten, Double(bytesRead) / 1e9, seconds, out))
    }
}

/// A progress bar on standard error, redrawn at most 5 times a second, when standard error is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private let tty = isatty(2) != 0
    private var last = 0.0
    private(set) var total = 0
    private let started = Date()

    init(label: String) { self.label = label }

    var update: WeightChange.Progress {
        { [self] done, total in
            lock.lock(); defer { lock.unlock() }
            self.total = total
            let now = Date().timeIntervalSince(started)
            guard tty, now - last >= 0.2 || done == total else { return }
            last = now
            let share = total > 0 ? Double(done) / Double(total) : 1
            let filled = Int(share * 30)
            let line = String(format: "\r%@ [%@%@] %3.0f%% %.2f/%.2f GB %.1f s", label, String(repeating: "#", count: filled), String(repeating: ".", count: 30 - filled),
                              share * 100, Double(done) / 1e9, Double(total) / 1e9, now)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        if tty { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
