/// Sums of squares over a tensor's elements, eight at a time: each element is widened to Double (BF16, F16
/// and F32 convert exactly), the difference taken and squared in Double, and the squares summed in four
/// Double lanes per accumulator. Loads are unaligned: safetensors packs tensors back to back.
protocol Lanes {
    static var size: Int { get }
    static func load(_ p: UnsafeRawPointer, _ i: Int) -> SIMD8<Float>
    static func scalar(_ p: UnsafeRawPointer, _ i: Int) -> Float
}

enum BF16Lanes: Lanes {
    static var size: Int { 2 }
    @inline(__always) static func load(_ p: UnsafeRawPointer, _ i: Int) -> SIMD8<Float> {
        let u = p.loadUnaligned(fromByteOffset: i &* 2, as: SIMD8<UInt16>.self)
        return unsafeBitCast(SIMD8<UInt32>(truncatingIfNeeded: u) &<< 16, to: SIMD8<Float>.self)
    }
    @inline(__always) static func scalar(_ p: UnsafeRawPointer, _ i: Int) -> Float {
        Float(bitPattern: UInt32(p.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)) << 16)
    }
}

enum F32Lanes: Lanes {
    static var size: Int { 4 }
    @inline(__always) static func load(_ p: UnsafeRawPointer, _ i: Int) -> SIMD8<Float> {
        p.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
    }
    @inline(__always) static func scalar(_ p: UnsafeRawPointer, _ i: Int) -> Float {
        p.loadUnaligned(fromByteOffset: i &* 4, as: Float.self)
    }
}

enum F16Lanes: Lanes {
    /// Every half-precision bit pattern as a Float (exact), so that no conversion instruction is needed.
    static let table: [Float] = (0...UInt16.max).map { Float(Float16(bitPattern: $0)) }
    static var size: Int { 2 }
    @inline(__always) static func load(_ p: UnsafeRawPointer, _ i: Int) -> SIMD8<Float> {
        let u = p.loadUnaligned(fromByteOffset: i &* 2, as: SIMD8<UInt16>.self)
        return table.withUnsafeBufferPointer { t in
            SIMD8<Float>(t[Int(u[0])], t[Int(u[1])], t[Int(u[2])], t[Int(u[3])], t[Int(u[4])], t[Int(u[5])], t[Int(u[6])], t[Int(u[7])])
        }
    }
    @inline(__always) static func scalar(_ p: UnsafeRawPointer, _ i: Int) -> Float {
        table[Int(p.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self))]
    }
}

enum Kernels {
    /// Σ (t − b)² and Σ b² over elements `range` of two tensors of the same shape.
    @inline(never)
    static func squares<B: Lanes, T: Lanes>(_ b: UnsafeRawPointer, _: B.Type, _ t: UnsafeRawPointer, _: T.Type, _ range: Range<Int>) -> (delta: Double, base: Double) {
        var d0 = SIMD4<Double>(), d1 = SIMD4<Double>(), b0 = SIMD4<Double>(), b1 = SIMD4<Double>()
        var i = range.lowerBound
        let end8 = range.lowerBound + (range.count / 8) * 8
        while i < end8 {
            let x = B.load(b, i), y = T.load(t, i)
            let xl = SIMD4<Double>(x.lowHalf), xh = SIMD4<Double>(x.highHalf)
            let dl = SIMD4<Double>(y.lowHalf) - xl, dh = SIMD4<Double>(y.highHalf) - xh
            d0 = d0 + dl * dl
            d1 = d1 + dh * dh
            b0 = b0 + xl * xl
            b1 = b1 + xh * xh
            i &+= 8
        }
        var delta = (d0 + d1).sum(), base = (b0 + b1).sum()
        while i < range.upperBound {
            let x = Double(B.scalar(b, i)), y = Double(T.scalar(t, i))
            delta += (y - x) * (y - x)
            base += x * x
            i &+= 1
        }
        return (delta, base)
    }

    /// Σ b² over elements `range` of one tensor.
    @inline(never)
    static func squares<B: Lanes>(_ b: UnsafeRawPointer, _: B.Type, _ range: Range<Int>) -> Double {
        var b0 = SIMD4<Double>(), b1 = SIMD4<Double>()
        var i = range.lowerBound
        let end8 = range.lowerBound + (range.count / 8) * 8
        while i < end8 {
            let x = B.load(b, i)
            let xl = SIMD4<Double>(x.lowHalf), xh = SIMD4<Double>(x.highHalf)
            b0 = b0 + xl * xl
            b1 = b1 + xh * xh
            i &+= 8
        }
        var base = (b0 + b1).sum()
        while i < range.upperBound {
            let x = Double(B.scalar(b, i))
            base += x * x
            i &+= 1
        }
        return base
    }

    /// Dispatches on the two dtypes once per chunk, so each pair runs its own specialized loop.
    static func squares(_ b: UnsafeRawPointer, _ bt: DType, _ t: UnsafeRawPointer?, _ tt: DType, _ range: Range<Int>) -> (delta: Double, base: Double) {
        func with<B: Lanes>(_ bl: B.Type) -> (delta: Double, base: Double) {
            guard let t else { return (0, squares(b, bl, range)) }
            switch tt {
            case .bf16: return squares(b, bl, t, BF16Lanes.self, range)
            case .f16: return squares(b, bl, t, F16Lanes.self, range)
            case .f32: return squares(b, bl, t, F32Lanes.self, range)
            }
        }
        switch bt {
        case .bf16: return with(BF16Lanes.self)
        case .f16: return with(F16Lanes.self)
        case .f32: return with(F32Lanes.self)
        }
    }

    /// Element `i` of a tensor as a Double.
    @inline(__always) static func element(_ p: UnsafeRawPointer, _ d: DType, _ i: Int) -> Double {
        switch d {
        case .bf16: return Double(BF16Lanes.scalar(p, i))
        case .f16: return Double(F16Lanes.scalar(p, i))
        case .f32: return Double(F32Lanes.scalar(p, i))
        }
    }

    /// ‖B·A‖²_F for A (r × n) and B (m × r), without forming B·A: Σ_ij (A·Aᵀ)_ij (Bᵀ·B)_ij, both r × r
    /// Gram matrices summed in Double.
    static func loraSquares(a: UnsafeRawPointer, _ at: DType, n: Int, b: UnsafeRawPointer, _ bt: DType, m: Int, r: Int) -> Double {
        var ga = [Double](repeating: 0, count: r * r), gb = [Double](repeating: 0, count: r * r)
        var row = [Double](repeating: 0, count: r)
        // A·Aᵀ: rows of A dotted pairwise.
        var ai = [Double](repeating: 0, count: n), aj = [Double](repeating: 0, count: n)
        for i in 0..<r {
            for k in 0..<n { ai[k] = element(a, at, i * n + k) }
            for j in 0...i {
                if j != i { for k in 0..<n { aj[k] = element(a, at, j * n + k) } }
                var s = 0.0
                if j == i { for k in 0..<n { s += ai[k] * ai[k] } } else { for k in 0..<n { s += ai[k] * aj[k] } }
                ga[i * r + j] = s
                ga[j * r + i] = s
            }
        }
        // Bᵀ·B: each row of B adds its outer product.
        for o in 0..<m {
            for i in 0..<r { row[i] = element(b, bt, o * r + i) }
            for i in 0..<r { for j in 0...i { gb[i * r + j] += row[i] * row[j] } }
        }
        var total = 0.0
        for i in 0..<r {
            for j in 0..<r {
                let g = i >= j ? gb[i * r + j] : gb[j * r + i]
                total += ga[i * r + j] * g
            }
        }
        return total
    }
}
