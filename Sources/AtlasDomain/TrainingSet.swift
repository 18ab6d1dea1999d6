/// What a run was trained on, read from its dataset id: one of the source datasets, all ten merged, or
/// all ten but one. The ids are the site's and the database's: `alpaca-cleaned`, `all`, `wo-lima`.
public enum TrainingSet: Equatable, Sendable {
    /// One source dataset, by id.
    case single(String)
    /// All ten merged.
    case all
    /// All ten but the one named (its id).
    case leaveOneOut(leftOut: String)

    /// The id of the union of all ten.
    public static let allID = "all"
    /// What a leave-one-out union's id starts with, before the id of the dataset left out.
    public static let leaveOneOutPrefix = "wo-"

    public init(id: String) {
        if id == Self.allID {
            self = .all
        } else if id.hasPrefix(Self.leaveOneOutPrefix) {
            self = .leaveOneOut(leftOut: String(id.dropFirst(Self.leaveOneOutPrefix.count)))
        } else {
            self = .single(id)
        }
    }

    public var id: String {
        switch self {
        case .single(let id): return id
        case .all: return Self.allID
        case .leaveOneOut(let left): return Self.leaveOneOutPrefix + left
        }
    }

    /// The kind, as the database stores it.
    public var kind: DatasetKind {
        switch self {
        case .single: return .single
        case .all: return .all
        case .leaveOneOut: return .leaveOneOut
        }
    }

    public static func isAll(_ id: String?) -> Bool { id == allID }
    public static func isLeaveOneOut(_ id: String?) -> Bool { id?.hasPrefix(leaveOneOutPrefix) == true }
}

/// A training set's kind, as stored.
public enum DatasetKind: String, Sendable, CaseIterable {
    /// One of the ten source datasets.
    case single
    /// All ten merged (`all`).
    case all
    /// All ten but one (`w/o-<name>` in the release); the dataset records which one is left out.
    case leaveOneOut = "leave-one-out"
}
