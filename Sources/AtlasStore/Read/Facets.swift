/// Counts of runs per value of one dimension, under the current filter.
public struct Facet: Equatable, Sendable {
    public struct Value: Equatable, Sendable {
        /// The filter value (`qwen2.5-7b`, `lora`, `10`; `none` for base rows).
        public var value: String
        public var count: Int
        /// Whether the current filter selects this value.
        public var selected: Bool
    }

    public var dimension: FacetDimension
    public var values: [Value]
}

extension AtlasDatabase {
    /// For each dimension, the count of runs per value. Each dimension's counts apply every filter except
    /// its own, so that choosing a second value of the same dimension shows how many runs it would add.
    public func facets(_ filter: RunFilter) throws -> [Facet] {
        try FacetDimension.allCases.map { dimension in
            let (condition, params) = filter.sql(except: dimension)
            let column = dimension.sqlColumn
            let stmt = try connection.prepare("""
                SELECT r.\(column), count(*) FROM runs r WHERE \(condition)
                GROUP BY r.\(column) ORDER BY min(r.\(dimension.sqlOrder)) IS NULL DESC, min(r.\(dimension.sqlOrder))
                """)
            try stmt.bind(all: params)
            let selected = Set(filter.values[dimension] ?? [])
            var values: [Facet.Value] = []
            while try stmt.step() {
                let value = stmt.isNull(0) ? RunFilter.noneValue : stmt.string(0)
                values.append(Facet.Value(value: value, count: stmt.int(1), selected: selected.contains(value)))
            }
            return Facet(dimension: dimension, values: values)
        }
    }
}
