/// The column names and special values of the released massive-sft `evaluation_result.csv`: what ingest
/// reads and what the release-layout download writes back.
public enum ReleaseLayout {
    public static let model = "model_name", data = "data_name", lora = "lora", epoch = "epoch", dataSize = "data_size", schedule = "lr_strategy"
    /// The run columns every file has, in the release's order (score columns stand between `data_name` and these).
    public static let requiredColumns = [model, data, lora, epoch, dataSize, schedule]
    /// `data_name` of a base model's own row.
    public static let baseRowDataName = "pretrain"
    /// `data_name` of the union of all ten datasets.
    public static let allDataName = "all"
    /// What a leave-one-out union's `data_name` starts with: `w/o-lima`.
    public static let leaveOneOutPrefix = "w/o-"
    /// `lora` for LoRA and full-parameter runs.
    public static func loraText(_ method: Method) -> String { method == .lora ? "true" : "false" }
}
