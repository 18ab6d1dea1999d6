import AtlasStore

/// The ten SFT datasets of the study, keyed by the CSV's `data_name`, plus the rules for `all` and `w/o-<name>`.
///
/// Sources, sample counts (the source dataset's size) and mean lengths (words per example after the
/// 1k-sample preprocessing, not tokens) are the paper's Table 2 (`Dataset.propertiesSource`).
public enum DatasetRegistry {
    public static let singles: [Dataset] = [
        .init(id: "alpaca-cleaned", sourceName: "alpaca_cleaned", displayName: "Alpaca (cleaned)", kind: .single,
              category: "general", sourceRepository: "yahma/alpaca-cleaned", sourceSamples: 51_760, meanLength: 122.19),
        .init(id: "lima", sourceName: "lima", displayName: "LIMA", kind: .single,
              category: "general", sourceRepository: "GAIR/lima", sourceSamples: 1_330, meanLength: 391.97),
        .init(id: "ultrachat", sourceName: "ultrachat", displayName: "UltraChat", kind: .single,
              category: "general", sourceRepository: "HuggingFaceH4/ultrachat_200k", sourceSamples: 773_913, meanLength: 397.45),
        .init(id: "code-alpaca", sourceName: "code_alpaca", displayName: "Code Alpaca", kind: .single,
              category: "coding", sourceRepository: "sahil2801/CodeAlpaca-20k", sourceSamples: 20_022, meanLength: 44.36),
        .init(id: "magicoder", sourceName: "magicoder", displayName: "Magicoder", kind: .single,
              category: "coding", sourceRepository: "ise-uiuc/Magicoder-Evol-Instruct-110K", sourceSamples: 111_183, meanLength: 300.04),
        .init(id: "openmath", sourceName: "openmath", displayName: "OpenMathInstruct", kind: .single,
              category: "math", sourceRepository: "nvidia/OpenMathInstruct-1", sourceSamples: 6_078_712, meanLength: 140.43),
        .init(id: "math", sourceName: "math", displayName: "MathInstruct", kind: .single,
              category: "math", sourceRepository: "TIGER-Lab/MathInstruct", sourceSamples: 262_039, meanLength: 125.36),
        .init(id: "flan-knowledge", sourceName: "flan_knowledge", displayName: "FLAN (knowledge)", kind: .single,
              category: "classic NLP", sourceRepository: "Open-Orca/FLAN", sourceSamples: 226_575, meanLength: 21.69),
        .init(id: "flan-reasoning", sourceName: "flan_reasoning", displayName: "FLAN (reasoning)", kind: .single,
              category: "classic NLP", sourceRepository: "Open-Orca/FLAN", sourceSamples: 92_770, meanLength: 41.74),
        .init(id: "flan-comprehension", sourceName: "flan_comprehension", displayName: "FLAN (comprehension)", kind: .single,
              category: "classic NLP", sourceRepository: "Open-Orca/FLAN", sourceSamples: 208_605, meanLength: 262.31),
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
