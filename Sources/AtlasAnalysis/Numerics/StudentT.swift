#if canImport(Glibc)
import Glibc
#endif

/// Student's t distribution, through the regularized incomplete beta function.
public enum StudentT {
    /// P(|T| ≥ |t|) for `df` degrees of freedom.
    public static func twoSidedP(t: Double, df: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        let x = df / (df + t * t)
        return IncompleteBeta.regularized(a: df / 2, b: 0.5, x: x)
    }
}

/// I_x(a, b), the regularized incomplete beta function, by its continued fraction (modified Lentz).
/// Accurate to about 1e-14 relative for the moderate a, b used here.
public enum IncompleteBeta {
    public static func regularized(a: Double, b: Double, x: Double) -> Double {
        precondition(a > 0 && b > 0, "incomplete beta: a and b must be positive")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(a: a, b: b, x: x) / a
        }
        return 1 - exp(logFront) * continuedFraction(a: b, b: a, x: 1 - x) / b
    }

    private static func continuedFraction(a: Double, b: Double, x: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-16
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            // Even step.
            var num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step.
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }
}

/// A paired t-test.
public struct PairedTTest: Equatable, Codable, Sendable {
    public var t: Double
    public var df: Double
    /// Two-sided p-value.
    public var p: Double
    /// Mean of the differences x − y.
    public var meanDifference: Double
    public var n: Int

    /// Tests mean(x − y) = 0 over the pairs where both are present; `nil` with fewer than 2 pairs or
    /// when every difference is the same.
    public static func test(_ x: [Double], _ y: [Double]) -> PairedTTest? {
        precondition(x.count == y.count, "paired t-test: lengths differ")
        let d = x.indices.filter { !x[$0].isNaN && !y[$0].isNaN }.map { x[$0] - y[$0] }
        guard d.count >= 2 else { return nil }
        let n = Double(d.count)
        let mean = d.reduce(0, +) / n
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        guard variance > 0 else { return nil }
        let t = mean / (variance / n).squareRoot()
        return PairedTTest(t: t, df: n - 1, p: StudentT.twoSidedP(t: t, df: n - 1), meanDifference: mean, n: d.count)
    }
}
