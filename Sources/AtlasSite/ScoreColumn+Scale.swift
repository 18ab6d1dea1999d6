import AtlasStore

/// One scale per column, everywhere: a score is shown in its column's unit with the decimals that unit
/// needs, and any value that mixes columns (an average, a chart across benchmarks) first puts each
/// column on 0–100.
extension ScoreColumn {
    /// Decimals shown: 1 for percentages (45.3), 3 for 0–1 fractions (0.412), 2 for 1–10 ratings (6.85).
    var decimals: Int {
        switch unit {
        case .percent: return 1
        case .fraction: return 3
        case .rating, .unknown: return 2
        }
    }

    /// The factor that puts a value on 0–100: percentages as they are, ratings ×10, fractions ×100; an
    /// unknown unit is taken as it is.
    var normalization: Double { unit.toHundred }

    /// A value of this column on 0–100, rounded to 9 decimals so that 0.07 × 100 reads 7, not 7.000000000000001.
    func onHundred(_ v: Double) -> Double { NumberText.tidy(v * normalization) }

    /// The normalization in words, for the places an average is shown.
    static let normalizationNote = "the normalized mean: percentages as they are, 1–10 ratings ×10, 0–1 fractions ×100; empty when any column is missing"

    /// A score as shown; "n/a" when missing.
    func text(_ value: Double?) -> String {
        value.map { NumberText.fixed($0, decimals) } ?? "n/a"
    }

    /// A difference of scores as shown, signed; "n/a" when missing.
    func signedText(_ value: Double?) -> String {
        value.map { NumberText.signed($0, decimals) } ?? "n/a"
    }

    /// The span that a gain's colour saturates at: a fifth of the scale (20 points, 2 rating points, 0.2).
    var gainColourLimit: Double { 20 / normalization }
}
