#if canImport(Glibc)
import Glibc
#endif

/// Exact t-SNE (van der Maaten and Hinton, 2008) to two dimensions, deterministic for a seed.
///
/// Affinities use a per-point Gaussian whose width is found by bisection to match `perplexity`;
/// the embedding starts from N(0, 1e-4) draws of a SplitMix64 generator seeded with `seed`, and is
/// optimized by gradient descent with momentum (0.5, then 0.8 after 250 iterations), per-coordinate
/// gains, and early exaggeration 12 for the first 250 iterations. O(n²) memory and time per iteration.
public struct TSNE: Sendable {
    public var perplexity: Double = 30
    public var iterations: Int = 1000
    public var learningRate: Double = 200
    public var seed: UInt64 = 1

    public init(perplexity: Double = 30, iterations: Int = 1000, learningRate: Double = 200, seed: UInt64 = 1) {
        self.perplexity = perplexity
        self.iterations = iterations
        self.learningRate = learningRate
        self.seed = seed
    }

    /// The embedding of `points` (each a row of features), and the final Kullback–Leibler divergence.
    public func embed(_ points: [[Double]]) -> (coordinates: [[Double]], kl: Double) {
        let n = points.count
        guard n > 1 else { return (points.map { _ in [0, 0] }, 0) }
        let p = affinities(points)
        var rng = SplitMix64(seed: seed)
        var y = [Double](repeating: 0, count: 2 * n)
        for i in y.indices { y[i] = 1e-2 * rng.normal() }
        var velocity = [Double](repeating: 0, count: 2 * n)
        var gains = [Double](repeating: 1, count: 2 * n)
        var q = [Double](repeating: 0, count: n * n)
        var grad = [Double](repeating: 0, count: 2 * n)
        var kl = 0.0
        for iteration in 0..<iterations {
            let exaggeration = iteration < 250 ? 12.0 : 1.0
            let momentum = iteration < 250 ? 0.5 : 0.8
            // Student-t kernel, unnormalized, and its sum.
            var sum = 0.0
            for i in 0..<n {
                let yi0 = y[2 * i], yi1 = y[2 * i + 1]
                for j in (i + 1)..<n {
                    let d0 = yi0 - y[2 * j], d1 = yi1 - y[2 * j + 1]
                    let k = 1 / (1 + d0 * d0 + d1 * d1)
                    q[i * n + j] = k
                    q[j * n + i] = k
                    sum += 2 * k
                }
            }
            for i in 0..<(2 * n) { grad[i] = 0 }
            for i in 0..<n {
                var g0 = 0.0, g1 = 0.0
                let yi0 = y[2 * i], yi1 = y[2 * i + 1]
                for j in 0..<n where j != i {
                    let k = q[i * n + j]
                    let m = (exaggeration * p[i * n + j] - k / sum) * k
                    g0 += m * (yi0 - y[2 * j])
                    g1 += m * (yi1 - y[2 * j + 1])
                }
                grad[2 * i] = 4 * g0
                grad[2 * i + 1] = 4 * g1
            }
            for i in 0..<(2 * n) {
                gains[i] = (grad[i] > 0) != (velocity[i] > 0) ? gains[i] + 0.2 : max(gains[i] * 0.8, 0.01)
                velocity[i] = momentum * velocity[i] - learningRate * gains[i] * grad[i]
                y[i] += velocity[i]
            }
            // Re-centre.
            var m0 = 0.0, m1 = 0.0
            for i in 0..<n { m0 += y[2 * i]; m1 += y[2 * i + 1] }
            m0 /= Double(n); m1 /= Double(n)
            for i in 0..<n { y[2 * i] -= m0; y[2 * i + 1] -= m1 }
            if iteration == iterations - 1 {
                kl = 0
                for i in 0..<n { for j in 0..<n where j != i && p[i * n + j] > 0 {
                    kl += p[i * n + j] * log(p[i * n + j] / max(q[i * n + j] / sum, 1e-300))
                } }
            }
        }
        return ((0..<n).map { [y[2 * $0], y[2 * $0 + 1]] }, kl)
    }

    /// Symmetric joint probabilities P (row-major n × n), summing to 1.
    func affinities(_ points: [[Double]]) -> [Double] {
        let n = points.count
        var d = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                var s = 0.0
                for t in points[i].indices { let x = points[i][t] - points[j][t]; s += x * x }
                d[i * n + j] = s
                d[j * n + i] = s
            }
        }
        let target = log(min(perplexity, Double(n - 1) / 3).clamped(to: 1...))
        var p = [Double](repeating: 0, count: n * n)
        var row = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var beta = 1.0, lo = -Double.infinity, hi = Double.infinity
            for _ in 0..<100 {
                var sum = 0.0, weighted = 0.0
                for j in 0..<n where j != i {
                    let v = exp(-d[i * n + j] * beta)
                    row[j] = v
                    sum += v
                    weighted += d[i * n + j] * v
                }
                sum = max(sum, 1e-300)
                let entropy = log(sum) + beta * weighted / sum
                for j in 0..<n where j != i { p[i * n + j] = row[j] / sum }
                let diff = entropy - target
                if abs(diff) < 1e-5 { break }
                if diff > 0 {
                    lo = beta
                    beta = hi.isInfinite ? beta * 2 : (beta + hi) / 2
                } else {
                    hi = beta
                    beta = lo.isInfinite ? beta / 2 : (beta + lo) / 2
                }
            }
        }
        var out = [Double](repeating: 0, count: n * n)
        let scale = 1 / (2 * Double(n))
        for i in 0..<n { for j in 0..<n where i != j { out[i * n + j] = max((p[i * n + j] + p[j * n + i]) * scale, 1e-12) } }
        return out
    }
}

extension Comparable {
    func clamped(to range: PartialRangeFrom<Self>) -> Self { max(self, range.lowerBound) }
}

/// SplitMix64: the same seed gives the same sequence on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// Standard normal, by Box–Muller.
    public mutating func normal() -> Double {
        let u = max(unit(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * unit())
    }
}
