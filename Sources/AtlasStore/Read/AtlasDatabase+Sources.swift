extension AtlasDatabase {
    /// Where every user score came from, by run and column position (released scores have none).
    public func scoreSources() throws -> [ScoreSource] {
        let stmt = try connection.prepare("""
            SELECT run, col, tool, tool_version, file, place, task, metric, shots, config_hash, raw, scale FROM score_sources ORDER BY run, col
            """)
        var out: [ScoreSource] = []
        while try stmt.step() {
            out.append(ScoreSource(run: stmt.int(0), column: stmt.int(1), tool: stmt.string(2), toolVersion: stmt.optionalString(3),
                                   file: stmt.string(4), place: stmt.string(5), task: stmt.string(6), metric: stmt.string(7),
                                   shots: stmt.isNull(8) ? nil : stmt.int(8), configHash: stmt.optionalString(9),
                                   raw: stmt.double(10), scale: stmt.double(11)))
        }
        return out
    }
}
