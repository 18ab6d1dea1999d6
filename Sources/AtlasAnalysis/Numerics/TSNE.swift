#if canImport(Glibc)
import Glibc
#endif
import Dispatch

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
        // Each of `lanes` workers takes every lanes-th row i and accumulates into its own buffers; the
        // buffers are then added in lane order, so the result does not depend on scheduling.
        let lanes = n >= 256 ? 2 : 1
        var attract = [[Double]](repeating: [Double](repeating: 0, count: 2 * n), count: lanes)
        var repel = attract
        var sums = [Double](repeating: 0, count: lanes)
        for iteration in 0..<iterations {
            let exaggeration = iteration < 250 ? 12.0 : 1.0
            let momentum = iteration < 250 ? 0.5 : 0.8
            // Per pair i < j: the Student-t kernel k, the normalizer Σ k, and per point the attractive
            // Σ p k (yi − yj) and repulsive Σ k² (yi − yj) parts of the gradient.
            y.withUnsafeBufferPointer { y in
                p.withUnsafeBufferPointer { p in
                    let yBase = y.baseAddress!, pBase = p.baseAddress!
                    attract.withUnsafeMutableBufferPointer { attract in
                        repel.withUnsafeMutableBufferPointer { repel in
                            sums.withUnsafeMutableBufferPointer { sums in
                                let a = attract, r = repel, s = sums
                                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                                    a[lane].withUnsafeMutableBufferPointer { att in
                                        r[lane].withUnsafeMutableBufferPointer { rep in
                                            s[lane] = TSNE.accumulate(y: yBase, p: pBase, n: n, lane: lane, lanes: lanes,
                                                                      attract: att.baseAddress!, repel: rep.baseAddress!)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var sum = 0.0
            for lane in 0..<lanes { sum += sums[lane] }
            for i in 0..<(2 * n) {
                var att = 0.0, rep = 0.0
                for lane in 0..<lanes { att += attract[lane][i]; rep += repel[lane][i] }
                let grad = 4 * (exaggeration * att - rep / sum)
                gains[i] = (grad > 0) != (velocity[i] > 0) ? gains[i] + 0.2 : max(gains[i] * 0.8, 0.01)
                velocity[i] = momentum * velocity[i] - learningRate * gains[i] * grad
                y[i] += velocity[i]
            }
            // Re-centre.
            var m0 = 0.0, m1 = 0.0
            for i in 0..<n { m0 += y[2 * i]; m1 += y[2 * i + 1] }
            m0 /= Double(n); m1 /= Double(n)
            for i in 0..<n { y[2 * i] -= m0; y[2 * i + 1] -= m1 }
        }
        return ((0..<n).map { [y[2 * $0], y[2 * $0 + 1]] }, divergence(p, y, n))
    }

    /// One worker's share of a gradient pass: rows i ≡ lane (mod lanes). Clears and fills `attract` and
    /// `repel` (2n each); returns its part of Σ k over ordered pairs.
    private static func accumulate(y: UnsafePointer<Double>, p: UnsafePointer<Double>, n: Int, lane: Int, lanes: Int,
                                   attract: UnsafeMutablePointer<Double>, repel: UnsafeMutablePointer<Double>) -> Double {
        for i in 0..<(2 * n) { attract[i] = 0; repel[i] = 0 }
        var sum = 0.0
        var i = lane
        while i < n {
            let yi0 = y[2 * i], yi1 = y[2 * i + 1]
            var a0 = 0.0, a1 = 0.0, r0 = 0.0, r1 = 0.0
            let row = i * n
            for j in (i + 1)..<n {
                let d0 = yi0 - y[2 * j], d1 = yi1 - y[2 * j + 1]
                let k = 1 / (1 + d0 * d0 + d1 * d1)
                sum += 2 * k
                let pk = p[row + j] * k
                let kk = k * k
                a0 += pk * d0; a1 += pk * d1
                r0 += kk * d0; r1 += kk * d1
                attract[2 * j] -= pk * d0; attract[2 * j + 1] -= pk * d1
                repel[2 * j] -= kk * d0; repel[2 * j + 1] -= kk * d1
            }
            attract[2 * i] += a0; attract[2 * i + 1] += a1
            repel[2 * i] += r0; repel[2 * i + 1] += r1
            i += lanes
        }
        return sum
    }

    /// KL(P ‖ Q) of an embedding.
    private func divergence(_ p: [Double], _ y: [Double], _ n: Int) -> Double {
        var sum = 0.0
        for i in 0..<n { for j in (i + 1)..<n {
            let d0 = y[2 * i] - y[2 * j], d1 = y[2 * i + 1] - y[2 * j + 1]
            sum += 2 / (1 + d0 * d0 + d1 * d1)
        } }
        var kl = 0.0
        for i in 0..<n { for j in 0..<n where j != i && p[i * n + j] > 0 {
            let d0 = y[2 * i] - y[2 * j], d1 = y[2 * i + 1] - y[2 * j + 1]
            let q = 1 / (1 + d0 * d0 + d1 * d1) / sum
            kl += p[i * n + j] * log(p[i * n + j] / max(q, 1e-300))
        } }
        return kl
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
        d = []
        // Symmetrize in place: P_ij = P_ji = (p_j|i + p_i|j) / 2n.
        let scale = 1 / (2 * Double(n))
        for i in 0..<n {
            for j in (i + 1)..<n {
                let v = max((p[i * n + j] + p[j * n + i]) * scale, 1e-12)
                p[i * n + j] = v
                p[j * n + i] = v
            }
        }
        return p
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
