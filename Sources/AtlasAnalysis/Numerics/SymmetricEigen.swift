/// Eigenvalues and eigenvectors of a real symmetric matrix by cyclic Jacobi rotations.
///
/// O(n³) per sweep and a handful of sweeps: meant for the small matrices here (tens of rows).
public struct SymmetricEigen: Equatable, Sendable {
    /// Eigenvalues, largest first.
    public var values: [Double]
    /// `vectors[k]` is the unit eigenvector of `values[k]`, its sign fixed so its largest-magnitude entry is positive.
    public var vectors: [[Double]]

    public init(_ matrix: [[Double]]) {
        let n = matrix.count
        var a = matrix
        var v = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0.0 } }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += a[i][j] * a[i][j] } }
            if off < 1e-30 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where abs(a[p][q]) > 1e-300 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k][p], vkq = v[k][q]
                        v[k][p] = c * vkp - s * vkq
                        v[k][q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0][$0] > a[$1][$1] }
        values = order.map { a[$0][$0] }
        vectors = order.map { k in
            var vec = (0..<n).map { v[$0][k] }
            if let big = vec.indices.max(by: { abs(vec[$0]) < abs(vec[$1]) }), vec[big] < 0 { vec = vec.map { -$0 } }
            return vec
        }
    }
}

/// Principal component analysis of rows (observations) × columns (variables), centred, not scaled.
public struct PCA: Equatable, Sendable {
    /// Share of the total variance along each component, largest first.
    public var explainedVarianceRatio: [Double]
    public var cumulative: [Double]

    /// Rows containing a NaN must be dropped by the caller.
    public init(rows: [[Double]]) {
        let n = rows.count
        let width = rows.first?.count ?? 0
        precondition(n >= 2, "PCA needs at least two rows")
        let means = (0..<width).map { c in rows.reduce(0) { $0 + $1[c] } / Double(n) }
        var cov = [[Double]](repeating: [Double](repeating: 0, count: width), count: width)
        for row in rows {
            for i in 0..<width {
                let di = row[i] - means[i]
                for j in i..<width { cov[i][j] += di * (row[j] - means[j]) }
            }
        }
        for i in 0..<width { for j in i..<width { cov[i][j] /= Double(n - 1); cov[j][i] = cov[i][j] } }
        let eigen = SymmetricEigen(cov)
        let variances = eigen.values.map { max($0, 0) }
        let total = variances.reduce(0, +)
        explainedVarianceRatio = variances.map { total > 0 ? $0 / total : 0 }
        var running = 0.0
        cumulative = explainedVarianceRatio.map { running += $0; return running }
    }
}
