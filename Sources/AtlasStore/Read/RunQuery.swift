/// A dimension the catalog can filter and count by.
public enum FacetDimension: String, CaseIterable, Sendable {
    case base, dataset, method, epochs, samples, schedule
    /// Where a run comes from: `release`, or the file name of the manifest that brought a user's run.
    case source

    /// The `source` value of a released run.
    public static let releaseSource = "release"
}

/// Which runs to show: within a dimension any listed value matches; across dimensions all must.
///
/// Values are ids as stored (`qwen2.5-7b`, `lora`, `10`, `1000`, `cosine`). The value `none` matches a
/// base model's own row in the dimensions it has no value for (dataset, method, schedule).
public struct RunFilter: Hashable, Sendable {
    public static let noneValue = "none"

    public var values: [FacetDimension: [String]]

    public init(_ values: [FacetDimension: [String]] = [:]) {
        self.values = values.filter { !$0.value.isEmpty }
    }
}

/// The order of a run listing. Missing scores always sort last, whichever the direction.
public struct RunSort: Hashable, Sendable {
    public enum Key: Hashable, Sendable {
        /// Canonical order: base, dataset, method, samples, schedule, epochs.
        case canonical
        case dimension(FacetDimension)
        /// A score column, by its id (`math-0shot`).
        case score(String)
    }

    public var key: Key
    public var descending: Bool

    public init(_ key: Key = .canonical, descending: Bool = false) {
        self.key = key
        self.descending = descending
    }
}

/// One page of a run listing.
public struct RunPage: Equatable, Sendable {
    /// Runs matching the filter, over all pages.
    public var total: Int
    public var rows: [RunRow]
}

/// A run as listed, with the scores asked for.
public struct RunRow: Equatable, Sendable {
    public var run: Run
    /// Values keyed by column id; a missing value is absent from `scores` only if the column was not
    /// requested, and `nil` when the result is missing.
    public var scores: [String: Double?]
}
