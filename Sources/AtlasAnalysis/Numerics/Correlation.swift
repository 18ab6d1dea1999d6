#if canImport(Glibc)
import Glibc
#endif

/// Correlations over pairwise-complete observations: a pair where either value is NaN (missing) is dropped.
public enum Correlation {
    /// Pearson's r of the complete pairs; `nil` with fewer than 2 pairs or when either side is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "pearson: lengths differ")
        var n = 0.0, sx = 0.0, sy = 0.0
        for i in x.indices where !x[i].isNaN && !y[i].isNaN {
            n += 1; sx += x[i]; sy += y[i]
        }
        guard n >= 2 else { return nil }
        let mx = sx / n, my = sy / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices where !x[i].isNaN && !y[i].isNaN {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// The matrix of pairwise-complete Pearson correlations between the columns of `rows`
    /// (rows are observations). A pair with no defined correlation is NaN.
    public static func matrix(columnsOf rows: [[Double]]) -> [[Double]] {
        let width = rows.first?.count ?? 0
        let columns = (0..<width).map { c in rows.map { $0[c] } }
        return matrix(of: columns)
    }

    /// Pairwise-complete Pearson correlations between the given series.
    public static func matrix(of series: [[Double]]) -> [[Double]] {
        let n = series.count
        var m = [[Double]](repeating: [Double](repeating: .nan, count: n), count: n)
        for i in 0..<n {
            for j in i..<n {
                let r = i == j ? (pearson(series[i], series[j]) == nil ? Double.nan : 1) : (pearson(series[i], series[j]) ?? .nan)
                m[i][j] = r
                m[j][i] = r
            }
        }
        return m
    }

    /// The strictly-lower-triangle entries of a square matrix, row by row.
    public static func lowerTriangle(_ m: [[Double]]) -> [Double] {
        var out: [Double] = []
        for i in 0..<m.count { for j in 0..<i { out.append(m[i][j]) } }
        return out
    }
}
