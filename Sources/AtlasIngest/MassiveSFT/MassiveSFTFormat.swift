import AtlasStore

/// The header layout of the released massive-sft `evaluation_result.csv`, and the rules that turn one of
/// its rows into a normalized run. Every quirk of the release is handled here:
///
/// - the first column has an empty name (a pandas index) and is ignored;
/// - `lora` is `true`/`false` (any case), and `None` or empty on base rows;
/// - `epoch` is an integer (`10.0` is accepted as 10), 0 on base rows;
/// - `data_size` is float text (`1000.0`), 0 on base rows;
/// - `lr_strategy` is `cosine`/`constant`, and `None` or empty on base rows;
/// - `data_name` is `pretrain` for a base model's own row, `all`, `w/o-<name>`, or one of the ten;
/// - a score cell that is empty (or `nan`, `NaN`, `None`) is missing, never zero;
/// - any other column is a score column (`mbpp_4shot` uses an underscore; see `ColumnRegistry`).
struct MassiveSFTFormat {
    static let requiredColumns = ReleaseLayout.requiredColumns

    let file: String
    let header: [String]
    private let model, data, lora, epoch, size, schedule: Int
    /// Positions and registry entries of the score columns, in file order.
    let scoreIndexes: [Int]
    let scoreColumns: [ScoreColumn]
    /// The values each score column accepts (see `acceptedRange`); NaN (missing) is always accepted.
    private let scoreRanges: [ClosedRange<Double>]

    /// Whether a header looks like this format at all (so a missing column is reported as such,
    /// rather than as an unrecognized format).
    static func recognizes(_ header: [String]) -> Bool {
        header.contains(ReleaseLayout.model) || header.contains(ReleaseLayout.data)
    }

    init(header: [String], file: String) throws(IngestError) {
        self.file = file
        self.header = header
        var positions: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            if let first = positions[name], !(name.isEmpty && i == 0) {
                throw IngestError(file: file, line: 1, column: name,
                                  message: "appears twice in the header (positions \(first + 1) and \(i + 1)); expected each column once")
            }
            positions[name] = i
        }
        func required(_ name: String) throws(IngestError) -> Int {
            guard let i = positions[name] else {
                throw IngestError(file: file, line: 1, column: name,
                                  message: "required column is missing from the header; expected all of \(Self.requiredColumns.joined(separator: ", "))")
            }
            return i
        }
        model = try required(ReleaseLayout.model)
        data = try required(ReleaseLayout.data)
        lora = try required(ReleaseLayout.lora)
        epoch = try required(ReleaseLayout.epoch)
        size = try required(ReleaseLayout.dataSize)
        schedule = try required(ReleaseLayout.schedule)
        let fixed = Set([model, data, lora, epoch, size, schedule])
        var indexes: [Int] = []
        var columns: [ScoreColumn] = []
        for (i, name) in header.enumerated() where !fixed.contains(i) {
            if i == 0 && name.isEmpty { continue } // the pandas index
            if name.isEmpty {
                throw IngestError(file: file, line: 1, message: "column \(i + 1) has an empty name; expected a score column name such as 'math-0shot'")
            }
            indexes.append(i)
            columns.append(ColumnRegistry.column(header: name))
        }
        if indexes.isEmpty {
            throw IngestError(file: file, line: 1, message: "the header has no score columns; expected columns such as 'math-0shot' after the run columns")
        }
        scoreIndexes = indexes
        scoreColumns = columns
        scoreRanges = columns.map { Self.acceptedRange($0) }
    }

    /// A row of the file, normalized.
    struct Row {
        var baseName: String
        /// `nil` on a base model's own row.
        var datasetName: String?
        var method: Method?
        var epochs: Int
        var samples: Int
        var schedule: Schedule?
        /// One value per `scoreColumns` entry; NaN marks a missing value.
        var scores: [Double]
        var line: Int
    }

    func parse(_ record: CSVReader.Record) throws(IngestError) -> Row {
        let f = FixedFields(record: record)
        func fail(_ index: Int, _ message: String) -> IngestError {
            IngestError(file: file, line: record.lines[index], column: header[index], message: message)
        }
        let baseName = Self.unguarded(f[model].trimmed)
        if baseName.isEmpty { throw fail(model, "is empty; expected a base model name such as 'Qwen2.5-7B'") }
        let dataName = Self.unguarded(f[data].trimmed)
        if dataName.isEmpty { throw fail(data, "is empty; expected a dataset name such as 'alpaca_cleaned', 'all' or 'pretrain'") }
        let isBase = dataName == DatasetRegistry.baseRowName

        let method: Method?
        switch f[lora].trimmed.lowercased() {
        case "true": method = .lora
        case "false": method = .full
        case "", "none", "nan":
            if !isBase { throw fail(lora, "is '\(IngestError.excerpt(f[lora]))' on a fine-tuned run; expected 'true' (LoRA) or 'false' (full-parameter)") }
            method = nil
        default:
            throw fail(lora, "is '\(IngestError.excerpt(f[lora]))'; expected 'true' (LoRA), 'false' (full-parameter), or 'None' or empty on a base row")
        }
        if isBase, method != nil {
            throw fail(lora, "is '\(IngestError.excerpt(f[lora]))' on a base row (data_name 'pretrain'); expected 'None' or empty")
        }

        guard let epochs = Self.wholeNumber(f[epoch]) else {
            throw fail(epoch, "is '\(IngestError.excerpt(f[epoch]))'; expected a non-negative integer number of epochs")
        }
        if isBase, epochs != 0 { throw fail(epoch, "is '\(IngestError.excerpt(f[epoch]))' on a base row; expected 0") }
        if !isBase, !Self.epochRange.contains(epochs) {
            throw fail(epoch, "is '\(IngestError.excerpt(f[epoch]))' on a fine-tuned run; expected \(Self.epochRange.lowerBound) to \(Self.epochRange.upperBound)")
        }

        guard let samples = Self.wholeNumber(f[size]) else {
            throw fail(size, "is '\(IngestError.excerpt(f[size]))'; expected a non-negative whole number of samples such as '1000.0'")
        }
        if isBase, samples != 0 { throw fail(size, "is '\(IngestError.excerpt(f[size]))' on a base row; expected 0") }
        if !isBase, !Self.sampleRange.contains(samples) {
            throw fail(size, "is '\(IngestError.excerpt(f[size]))' on a fine-tuned run; expected \(Self.sampleRange.lowerBound) to \(Self.sampleRange.upperBound) samples")
        }

        let sched: Schedule?
        switch f[schedule].trimmed.lowercased() {
        case "cosine": sched = .cosine
        case "constant": sched = .constant
        case "", "none", "nan":
            if !isBase { throw fail(schedule, "is '\(IngestError.excerpt(f[schedule]))' on a fine-tuned run; expected 'cosine' or 'constant'") }
            sched = nil
        default:
            throw fail(schedule, "is '\(IngestError.excerpt(f[schedule]))'; expected 'cosine' or 'constant', or 'None' or empty on a base row")
        }
        if isBase, sched != nil { throw fail(schedule, "is '\(IngestError.excerpt(f[schedule]))' on a base row; expected 'None' or empty") }

        var scores = [Double](repeating: .nan, count: scoreIndexes.count)
        for (k, i) in scoreIndexes.enumerated() {
            guard let value = record.withBytes(i, NumberParser.score) else {
                throw fail(i, "is '\(IngestError.excerpt(f[i]))'; expected a number, or an empty cell for a missing result")
            }
            if !value.isNaN, !scoreRanges[k].contains(value) {
                throw fail(i, "is \(IngestError.excerpt(f[i])), far outside the column's scale; expected \(Self.describe(scoreRanges[k])) (the scale with a tenth of its span either side)")
            }
            scores[k] = value
        }
        return Row(baseName: baseName, datasetName: isBase ? nil : dataName, method: method, epochs: epochs,
                   samples: samples, schedule: sched, scores: scores, line: record.line)
    }

    /// Epochs a fine-tuned run may report (the release has 1–10).
    static let epochRange = 1...1_000
    /// Training samples a fine-tuned run may report (the release has 1,000 and 20,000).
    static let sampleRange = 1...1_000_000_000
    /// How far outside a column's scale a score may lie, as a fraction of the scale's span: rounding and
    /// rescaled metrics stay inside; a value in the wrong unit (0.85 read as 85) or a corrupt cell does not.
    static let scaleTolerance = 0.1
    /// The bound on a score in a column of unknown scale.
    static let unknownScaleLimit = 1e6

    /// The values a score column accepts.
    static func acceptedRange(_ column: ScoreColumn) -> ClosedRange<Double> {
        guard let lo = column.scaleMin, let hi = column.scaleMax, hi > lo else { return -unknownScaleLimit...unknownScaleLimit }
        let slack = (hi - lo) * scaleTolerance
        return (lo - slack)...(hi + slack)
    }

    static func describe(_ range: ClosedRange<Double>) -> String {
        func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
        return "\(text(range.lowerBound)) to \(text(range.upperBound))"
    }

    /// A name as the release-layout download writes it, guarded against spreadsheet formulas with a
    /// leading apostrophe (`'=cmd`), read back as the name itself, so a download ingests to the same ids.
    /// The one name this changes is one that really starts with an apostrophe before `=`, `+`, `-` or `@`.
    static func unguarded(_ name: String) -> String {
        let u = name.utf8
        guard u.count >= 2, u.first == UInt8(ascii: "'") else { return name }
        let rest = String(name.dropFirst())
        let second = rest.utf8.first
        let formula = second == UInt8(ascii: "=") || second == UInt8(ascii: "+") || second == UInt8(ascii: "-") || second == UInt8(ascii: "@")
        return formula && Double(rest) == nil ? rest : name
    }

    /// `10`, `10.0`, ` 10 ` → 10; negative, fractional or non-numeric text → nil.
    static func wholeNumber(_ text: String) -> Int? {
        let t = text.trimmed
        if let n = Int(t) { return n >= 0 ? n : nil }
        guard let d = Double(t), d.isFinite, d >= 0, d.rounded() == d, d < 1e15 else { return nil }
        return Int(d)
    }
}

/// Text access to a record's fields by position.
private struct FixedFields {
    let record: CSVReader.Record
    subscript(_ i: Int) -> String { record.string(i) }
}

extension String {
    var trimmed: String {
        guard let first = utf8.first, let last = utf8.last, first == 0x20 || last == 0x20 || first == 0x09 || last == 0x09 else { return self }
        return String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
