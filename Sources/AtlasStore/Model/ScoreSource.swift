/// Where a user's score came from, so that nobody compares numbers that are not comparable.
public struct ScoreSource: Equatable, Sendable {
    /// Run and column positions in the result set.
    public var run: Int
    public var column: Int
    /// `opencompass` or `lm-eval`.
    public var tool: String
    public var toolVersion: String?
    /// The file (no directory) and the place in it: `line 12` or a JSON path.
    public var file: String
    public var place: String
    /// The tool's task or dataset abbr, and its metric key (`acc,none`, `exact_match,strict-match`, `accuracy`).
    public var task: String
    public var metric: String
    public var shots: Int?
    /// OpenCompass's prompt version, or lm-eval's task hash.
    public var configHash: String?
    /// The value as the tool wrote it, and the factor that put it in the column's unit.
    public var raw: Double
    public var scale: Double

    public init(run: Int, column: Int, tool: String, toolVersion: String?, file: String, place: String, task: String,
                metric: String, shots: Int?, configHash: String?, raw: Double, scale: Double) {
        (self.run, self.column, self.tool, self.toolVersion, self.file, self.place) = (run, column, tool, toolVersion, file, place)
        (self.task, self.metric, self.shots, self.configHash, self.raw, self.scale) = (task, metric, shots, configHash, raw, scale)
    }
}
