import AtlasIngest
import AtlasStore
import Foundation

/// Small massive-sft-shaped CSVs, written by the tests themselves.
public enum Fixture {
    /// The run columns, in the released file's layout (pandas index first), and four score columns.
    public static let header = ",model_name,data_name,mbpp_4shot,math-0shot,Truthful_QA-0shot,mtbench-total,lora,epoch,data_size,lr_strategy"

    /// One data line. `scores` are the four score cells as text (empty = missing).
    public static func row(_ index: Int, _ base: String, _ data: String, _ scores: [String],
                           lora: String, epoch: String, size: String, schedule: String) -> String {
        "\(index),\(base),\(data),\(scores.joined(separator: ",")),\(lora),\(epoch),\(size),\(schedule)"
    }

    /// A base row (`pretrain`, `None`, 0, 0.0, `None`).
    public static func baseRow(_ index: Int, _ base: String, _ scores: [String]) -> String {
        row(index, base, "pretrain", scores, lora: "None", epoch: "0", size: "0.0", schedule: "None")
    }

    /// A fine-tuned row with 1k samples, cosine schedule.
    public static func tunedRow(_ index: Int, _ base: String, _ data: String, _ scores: [String],
                                lora: Bool = false, epoch: Int = 10, size: String = "1000.0", schedule: String = "cosine") -> String {
        row(index, base, data, scores, lora: lora ? "true" : "false", epoch: String(epoch), size: size, schedule: schedule)
    }

    /// A small, valid file: two bases with their base rows and a handful of fine-tuned runs.
    ///
    /// Values are chosen so that expected results can be worked out by hand in the tests.
    public static let small: String = [
        header,
        baseRow(0, "Qwen2.5-7B", ["50.0", "10.0", "0.05", "5.0"]),
        tunedRow(1, "Qwen2.5-7B", "alpaca_cleaned", ["52.5", "12.0", "0.07", "6.5"]),
        tunedRow(2, "Qwen2.5-7B", "alpaca_cleaned", ["49.0", "", "0.04", "6.0"], lora: true),
        tunedRow(3, "Qwen2.5-7B", "code_alpaca", ["60.0", "11.0", "", "5.5"]),
        tunedRow(4, "Qwen2.5-7B", "all", ["55.0", "13.0", "0.06", "6.8"], epoch: 3, size: "10000.0"),
        tunedRow(5, "Qwen2.5-7B", "w/o-lima", ["54.0", "12.5", "0.06", "6.7"], size: "9000.0"),
        baseRow(6, "OLMo-7B-hf", ["20.0", "3.0", "0.03", "3.0"]),
        tunedRow(7, "OLMo-7B-hf", "alpaca_cleaned", ["21.0", "4.0", "0.02", "4.0"]),
        tunedRow(8, "OLMo-7B-hf", "alpaca_cleaned", ["19.0", "3.5", "0.04", "3.5"], epoch: 2, size: "20000.0", schedule: "constant"),
        tunedRow(9, "OLMo-7B-hf", "math", ["22.0", "8.0", "0.03", "3.2"], lora: true),
    ].joined(separator: "\n") + "\n"

    /// A fresh temporary folder, removed by the caller with `remove`.
    public static func folder() -> String {
        let path = NSTemporaryDirectory() + "sftatlas-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    public static func write(_ text: String, to path: String) {
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    public static func write(bytes: [UInt8], to path: String) {
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    public static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Loads CSV text as if it were a file called `name`.
    public static func load(_ text: String, name: String = "fixture.csv") throws -> (ResultSet, [String]) {
        try Ingest().load(files: [(name, Array(text.utf8))], synthetic: false)
    }

    /// Writes `text` as a database in a new folder; returns the database path.
    public static func database(_ text: String = small) throws -> String {
        let (results, _) = try load(text)
        let path = folder() + "/atlas.sqlite"
        try StoreWriter.write(results, to: path)
        return path
    }

    /// Two rows whose names would inject markup or a spreadsheet formula if written unescaped: a base and
    /// a run on a dataset named `=1+2@evil`.
    public static let hostile = baseRow(10, "<script>alert(1)</script>", ["1.0", "1.0", "0.01", "1.0"]) + "\n"
        + tunedRow(11, "<script>alert(1)</script>", "=1+2@evil", ["2.0", "2.0", "0.02", "2.0"]) + "\n"

    /// The project's checkout (it holds Templates/ and Public/).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The released results, when the shared data folder is beside the project.
    public static var releasedCSV: String? {
        let path = URL(fileURLWithPath: repository).deletingLastPathComponent().appendingPathComponent("shared/data/massive-sft/evaluation_result.csv").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
