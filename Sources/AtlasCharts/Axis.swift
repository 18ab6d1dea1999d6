import Foundation

/// A linear axis with "nice" tick values (1, 2 or 5 × 10ⁿ steps) covering the data range.
struct Axis {
    let lo: Double
    let hi: Double
    let ticks: [Double]

    init(values: [Double], includeZero: Bool = false, targetTicks: Int = 5) {
        var lo = values.filter(\.isFinite).min() ?? 0
        var hi = values.filter(\.isFinite).max() ?? 1
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if lo == hi { lo -= 1; hi += 1 }
        // Values no chart can show (a span past Double's range) get a plain axis rather than a trap.
        if !(hi - lo).isFinite || !(abs(lo) < 1e150 && abs(hi) < 1e150) { (lo, hi) = (0, 1) }
        let raw = (hi - lo) / Double(targetTicks)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = floor(lo / step) * step
        let last = ceil(hi / step) * step
        self.lo = first
        self.hi = last
        var ticks: [Double] = []
        var t = first
        // Bounded: far from zero, adding a small step can leave `t` unchanged.
        while t <= last + step / 2 && ticks.count < 100 { ticks.append(abs(t) < step / 1e6 ? 0 : t); t += step }
        self.ticks = ticks
    }

    /// Position of `v` between `start` (at lo) and `end` (at hi).
    func map(_ v: Double, _ start: Double, _ end: Double) -> Double {
        start + (v - lo) / (hi - lo) * (end - start)
    }

    /// Tick label with as many decimals as the step needs.
    func label(_ v: Double) -> String {
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let magnitude = -floor(log10(step))
        let digits = magnitude.isFinite ? max(0, min(4, Int(max(-1000, min(1000, magnitude))))) : 0
        return AtlasCharts.label(v, digits: digits)
    }
}
