/// Counts of runs per value of one dimension, under the current filter.
public struct Facet: Equatable, Sendable {
    public struct Value: Equatable, Sendable {
        /// The filter value (`qwen2.5-7b`, `lora`, `10`; `none` for base rows).
        public var value: String
        public var count: Int
        /// Whether the current filter selects this value.
        public var selected: Bool

        public init(value: String, count: Int, selected: Bool) {
            self.value = value
            self.count = count
            self.selected = selected
        }
    }

    public var dimension: FacetDimension
    public var values: [Value]

    public init(dimension: FacetDimension, values: [Value]) {
        self.dimension = dimension
        self.values = values
    }
}

extension AtlasDatabase {
    /// For each dimension, the count of runs per value. Each dimension's counts apply every filter except
    /// its own, so that choosing a second value of the same dimension shows how many runs it would add.
    /// Values come in display order, with `none` (base rows) first.
    public func facets(_ filter: RunFilter) throws -> [Facet] {
        try runIndex().facets(filter)
    }
}
