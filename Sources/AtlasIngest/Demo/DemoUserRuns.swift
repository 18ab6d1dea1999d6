import AtlasAnalysis
import Foundation

/// The demo's own "user runs", so that a fresh clone shows the feature: three synthetic runs evaluated as
/// a user would evaluate them, as an OpenCompass summary (two models) and an lm-evaluation-harness results
/// file (one), with a manifest. Deterministic for a seed; written into a folder and ingested like any user's.
enum DemoUserRuns {
    static let manifestName = "synthetic-runs.csv"

    /// Writes the files into `folder`; returns the manifest's path.
    static func write(in folder: String, seed: UInt64) throws -> String {
        var rng = SplitMix64(seed: seed ^ 0x5EED)
        func pct(_ lo: Double, _ hi: Double) -> String { two(lo + (hi - lo) * Double(rng.next() >> 11) / Double(1 << 53)) }
        func two(_ v: Double) -> String { let h = Int((v * 100).rounded()); return "\(h / 100).\(String(h % 100 + 100).dropFirst())" }
        let rows: [(String, String, String)] = [
            ("math_0shot,a1b2c3,accuracy,gen", pct(5, 30), pct(5, 30)), ("gsm8k_0shot,1d7fe4,accuracy,gen", pct(30, 70), pct(30, 70)),
            ("openai_humaneval_0shot,8e312c,humaneval_pass@1,gen", pct(10, 50), pct(10, 50)), ("mbpp_0shot,975c24,score,gen", pct(20, 60), pct(20, 60)),
            ("BoolQ_0shot,314797,accuracy,gen", pct(50, 85), pct(50, 85)), ("nq_open_0shot,3dcea1,score,gen", pct(5, 25), pct(5, 25)),
            ("truthful_qa_0shot,df3f8d,bleu_acc,gen", two(0.05 + 0.1 * Double(rng.next() >> 11) / Double(1 << 53)), "-"),
            ("mmlu_0shot,-,naive_average,gen", pct(40, 65), pct(40, 65)), ("cmmlu_0shot,-,naive_average,gen", pct(30, 60), "-"),
        ]
        let summary = "dataset,version,metric,mode,demo-llama-sft,demo-qwen-lora\n" + rows.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n") + "\n"
        /// A 0–1 fraction with 4 decimals, as lm-eval's accuracies are (for `lo`, `hi` below 1).
        func frac(_ lo: Double, _ hi: Double) -> String {
            let n = Int(((lo + (hi - lo) * Double(rng.next() >> 11) / Double(1 << 53)) * 10000).rounded())
            return "0." + String(n + 10000).dropFirst()
        }
        let lmEval = """
            {"results": {"gsm8k": {"alias": "gsm8k", "exact_match,strict-match": \(frac(0.3, 0.6)), "exact_match_stderr,strict-match": 0.013},
                         "mmlu": {"alias": "mmlu", "acc,none": \(frac(0.45, 0.62)), "acc_stderr,none": 0.004},
                         "boolq": {"alias": "boolq", "acc,none": \(frac(0.6, 0.85)), "acc_stderr,none": 0.008}},
             "group_subtasks": {"gsm8k": [], "mmlu": [], "boolq": []},
             "n-shot": {"gsm8k": 5, "mmlu": 0, "boolq": 0}, "task_hashes": {"gsm8k": "5c1a0e", "mmlu": "0b7f3d", "boolq": "e41d2a"},
             "lm_eval_version": "0.4.8", "config": {"model": "hf", "model_args": "pretrained=synthetic/demo-mistral"}}

            """
        let manifest = """
            name,base,dataset,method,epochs,samples,schedule,results
            Demo Llama SFT,llama-3-8b,My instructions,full,3,2000,cosine,synthetic-summary.csv#demo-llama-sft
            Demo Qwen LoRA,qwen2.5-7b,lima,lora,2,1000,cosine,synthetic-summary.csv#demo-qwen-lora
            Demo Mistral (lm-eval),mistral-7b,alpaca_cleaned,full,3,1000,cosine,synthetic-lmeval.json

            """
        for (name, text) in [("synthetic-summary.csv", summary), ("synthetic-lmeval.json", lmEval), (manifestName, manifest)] {
            guard FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8)) else {
                throw IngestError(file: folder + "/" + name, message: "the demo's user-run file could not be written")
            }
        }
        return folder + "/" + manifestName
    }
}
