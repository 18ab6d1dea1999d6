import Foundation

/// A user's evaluation outputs in the shapes the tools write them, and a manifest naming them: an
/// OpenCompass summary CSV with two model columns, `-` cells and a group row, its `.txt` twin, a
/// `results/<abbr>/` folder, an MT-Bench summary, lm-evaluation-harness results files (one with an
/// MMLU group and a subtask), and a map. Values are chosen so that the expected columns can be worked
/// out by hand (see each test).
public enum UserRunFixture {
    public static let summaryCSV = """
        dataset,version,metric,mode,my-qwen-sft,my-qwen-lora
        math_0shot,a1b2c3,accuracy,gen,14.50,-
        truthful_qa_0shot,d4e5f6,bleu_acc,gen,0.09,0.08
        mmlu,-,naive_average,gen,61.25,60.00
        unknown_thing,777777,accuracy,gen,33.00,34.00
        gone,-,-,-,-,-

        """

    /// The `.txt` summary: the same table in its "csv format" block, between the other blocks.
    public static var summaryTXT: String {
        let hats = String(repeating: "^", count: 128), dollars = String(repeating: "$", count: 128)
        let divider = String(repeating: "-", count: 128) + " THIS IS A DIVIDER " + String(repeating: "-", count: 128)
        return "20250601_120000\ntabulate format\n\(hats)\n(table)\n\(dollars)\n\n\(divider)\n\ncsv format\n\(hats)\n\(summaryCSV)\(dollars)\n\n"
            + "markdown format\n\(hats)\n| dataset |\n\(dollars)\n\(divider)\n\nraw format\n\(hats)\nModel: my-qwen-sft\n\(dollars)\n"
    }

    public static let lmEval = """
        {"results": {"gsm8k": {"alias": "gsm8k", "exact_match,strict-match": 0.55, "exact_match_stderr,strict-match": 0.013,
                               "exact_match,flexible-extract": 0.57, "exact_match_stderr,flexible-extract": "N/A"},
                     "mmlu": {"acc,none": 0.62, "acc_stderr,none": 0.004, "alias": "mmlu"},
                     "mmlu_abstract_algebra": {"acc,none": 0.3, "alias": " - abstract_algebra"},
                     "truthfulqa_gen": {"bleu_acc,none": 0.11, "bleu_acc_stderr,none": 0.01, "alias": "truthfulqa_gen"}},
         "groups": {"mmlu": {"acc,none": 0.62, "alias": "mmlu"}},
         "group_subtasks": {"mmlu": ["mmlu_abstract_algebra"], "gsm8k": [], "truthfulqa_gen": []},
         "n-shot": {"gsm8k": 5, "mmlu": 0, "mmlu_abstract_algebra": 0, "truthfulqa_gen": 0},
         "versions": {"gsm8k": 3.0, "mmlu": 2}, "task_hashes": {"gsm8k": "abc123", "mmlu": "def456"},
         "lm_eval_version": "0.4.8", "config": {"model": "hf", "model_args": "pretrained=/ckpt/my-llama"}, "date": 1748779200.0}
        """

    public static let lmEvalBase = """
        {"results": {"gsm8k": {"exact_match,strict-match": 0.40, "alias": "gsm8k"}, "mmlu": {"acc,none": 0.55, "alias": "mmlu"}},
         "n-shot": {"gsm8k": 5, "mmlu": 0}, "lm_eval_version": "0.4.8"}
        """

    public static let mtBench = """
        model,total,writing,roleplay,reasoning,math,coding,extraction,stem,humanities
        my-qwen-sft,6.9,8.0,7.5,5.0,4.0,5.5,7.0,8.5,9.0

        """

    public static let manifest = """
        name,base,dataset,method,epochs,samples,schedule,results
        My Qwen SFT,qwen2.5-7b,my-chat-data,full,3,5000,cosine,summary_20250601_120000.csv#my-qwen-sft;mtbench_summary.csv#my-qwen-sft
        My Qwen LoRA,Qwen2.5-7B,alpaca_cleaned,lora,2,1000,cosine,summary_20250601_120000.txt#my-qwen-lora
        My OLMo SFT,olmo-7b,math,full,1,1000,,results/my-olmo-sft
        My Llama,my-llama-base,lima,full,3,1000,cosine,results_2025-06-01T12-00-00.json
        My Llama Base,my-llama-base,none,none,,,,base_results.json

        """

    public static let map = "tool,task,metric,column\nopencompass,mmlu,naive_average,mmlu-0shot\n"

    /// Writes every file into `folder` (with `manifest` as runs.csv); returns the manifest's and the map's paths.
    @discardableResult
    public static func write(in folder: String, manifest: String = manifest) -> (manifest: String, map: String) {
        try? FileManager.default.createDirectory(atPath: folder + "/results/my-olmo-sft", withIntermediateDirectories: true)
        let files = ["summary_20250601_120000.csv": summaryCSV, "summary_20250601_120000.txt": summaryTXT,
                     "results/my-olmo-sft/math_0shot.json": "{\"accuracy\": 9.5, \"details\": {\"0\": {\"pred\": \"x\"}}}\n",
                     "results/my-olmo-sft/mbpp_4shot.json": "{\"score\": 23.0}\n",
                     "results_2025-06-01T12-00-00.json": lmEval, "base_results.json": lmEvalBase, "mtbench_summary.csv": mtBench,
                     "runs.csv": manifest, "map.csv": map]
        for (name, text) in files { Fixture.write(text, to: folder + "/" + name) }
        return (folder + "/runs.csv", folder + "/map.csv")
    }
}
