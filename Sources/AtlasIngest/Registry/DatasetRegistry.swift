import AtlasStore

/// The ten SFT datasets of the study, keyed by the CSV's `data_name`, plus the rules for `all` and `w/o-<name>`.
///
/// Sources are the public releases the dataset names refer to; sample counts are those releases' sizes.
/// Mean lengths are left unknown (`nil`) rather than guessed: the paper's Table 2 was not available.
public enum DatasetRegistry {
    public static let singles: [Dataset] = [
        .init(id: "alpaca-cleaned", sourceName: "alpaca_cleaned", displayName: "Alpaca (cleaned)", kind: .single,
              category: "general", sourceRepository: "yahma/alpaca-cleaned", sourceSamples: 51_760, meanLength: nil),
        .init(id: "lima", sourceName: "lima", displayName: "LIMA", kind: .single,
              category: "general", sourceRepository: "GAIR/lima", sourceSamples: 1_030, meanLength: nil),
        .init(id: "ultrachat", sourceName: "ultrachat", displayName: "UltraChat", kind: .single,
              category: "general", sourceRepository: "HuggingFaceH4/ultrachat_200k", sourceSamples: 207_865, meanLength: nil),
        .init(id: "code-alpaca", sourceName: "code_alpaca", displayName: "Code Alpaca", kind: .single,
              category: "coding", sourceRepository: "sahil2801/CodeAlpaca-20k", sourceSamples: 20_022, meanLength: nil),
        .init(id: "magicoder", sourceName: "magicoder", displayName: "Magicoder", kind: .single,
              category: "coding", sourceRepository: "ise-uiuc/Magicoder-OSS-Instruct-75K", sourceSamples: 75_197, meanLength: nil),
        .init(id: "openmath", sourceName: "openmath", displayName: "OpenMathInstruct", kind: .single,
              category: "math", sourceRepository: "nvidia/OpenMathInstruct-1", sourceSamples: nil, meanLength: nil),
        .init(id: "math", sourceName: "math", displayName: "MathInstruct", kind: .single,
              category: "math", sourceRepository: "TIGER-Lab/MathInstruct", sourceSamples: 262_039, meanLength: nil),
        .init(id: "flan-knowledge", sourceName: "flan_knowledge", displayName: "FLAN (knowledge)", kind: .single,
              category: "classic NLP", sourceRepository: nil, sourceSamples: nil, meanLength: nil),
        .init(id: "flan-reasoning", sourceName: "flan_reasoning", displayName: "FLAN (reasoning)", kind: .single,
              category: "classic NLP", sourceRepository: nil, sourceSamples: nil, meanLength: nil),
        .init(id: "flan-comprehension", sourceName: "flan_comprehension", displayName: "FLAN (comprehension)", kind: .single,
              category: "classic NLP", sourceRepository: nil, sourceSamples: nil, meanLength: nil),
    ]

    /// The `data_name` of a base model's own row.
    public static let baseRowName = ReleaseLayout.baseRowDataName
    static let allName = ReleaseLayout.allDataName
    static let leaveOneOutPrefix = ReleaseLayout.leaveOneOutPrefix

    public static let union = Dataset(id: TrainingSet.allID, sourceName: allName, displayName: "All ten", kind: .all,
                                      category: "mixture", sourceRepository: nil, sourceSamples: nil, meanLength: nil)

    private static let bySourceName = Dictionary(uniqueKeysWithValues: singles.map { ($0.sourceName, $0) })

    /// The leave-one-out union without `left`.
    public static func leaveOneOut(_ left: Dataset) -> Dataset {
        Dataset(id: TrainingSet.leaveOneOut(leftOut: left.id).id, sourceName: leaveOneOutPrefix + left.sourceName,
                displayName: "All without \(left.displayName)", kind: .leaveOneOut, leftOut: left.id,
                category: "mixture", sourceRepository: nil, sourceSamples: nil, meanLength: nil,
                registered: left.registered)
    }

    /// Every dataset in display order: the ten, `all`, then the ten leave-one-out unions.
    public static var everyKnown: [Dataset] { singles + [union] + singles.map(leaveOneOut) }

    /// Resolves a `data_name` (not `pretrain`). `nil` means it is not in the registry.
    public static func dataset(sourceName: String) -> Dataset? {
        if sourceName == allName { return union }
        if let single = bySourceName[sourceName] { return single }
        if sourceName.hasPrefix(leaveOneOutPrefix), let left = bySourceName[String(sourceName.dropFirst(leaveOneOutPrefix.count))] {
            return leaveOneOut(left)
        }
        return nil
    }

    /// Metadata for a dataset that is not in the registry.
    public static func inferred(sourceName: String) -> Dataset {
        if sourceName.hasPrefix(leaveOneOutPrefix) {
            let left = inferred(sourceName: String(sourceName.dropFirst(leaveOneOutPrefix.count)))
            return leaveOneOut(left)
        }
        return Dataset(id: Slug.make(sourceName), sourceName: sourceName, displayName: sourceName, kind: .single,
                       category: "unknown", sourceRepository: nil, sourceSamples: nil, meanLength: nil, registered: false)
    }
}
