extension AtlasDatabase {
    /// The stored JSON of analysis `name` for `method` (`nil` for analyses without one), if present.
    public func analysis(_ name: String, method: String? = nil) throws -> String? {
        let stmt = try connection.prepare("SELECT json FROM analyses WHERE name = ? AND method = ?")
        try stmt.bind(1, name)
        try stmt.bind(2, method ?? "")
        return try stmt.step() ? stmt.string(0) : nil
    }

    /// Every stored analysis's name and method (`nil` when none applies), in name order.
    public func analyses() throws -> [(name: String, method: String?)] {
        let stmt = try connection.prepare("SELECT name, method FROM analyses ORDER BY name, method")
        var out: [(String, String?)] = []
        while try stmt.step() {
            let method = stmt.string(1)
            out.append((stmt.string(0), method.isEmpty ? nil : method))
        }
        return out
    }
}
