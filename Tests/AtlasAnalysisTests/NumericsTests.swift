import AtlasAnalysis
import Testing

/// The numeric core against values computed independently with NumPy 2.4 and SciPy 1.17; each test
/// names the call that produced its expected values.
@Suite struct NumericsTests {
    private func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test func pearson() {
        // scipy.stats.pearsonr([1,2,3.5,4,7,8.5], [2,1,4,3,9,8])[0]
        #expect(close(Correlation.pearson([1, 2, 3.5, 4, 7, 8.5], [2, 1, 4, 3, 9, 8]), 0.9300676737728403))
    }

    @Test func pairwiseCompleteObservations() {
        // With the NaN pairs removed, this is the pearsonr case above.
        let x = [1, 2, .nan, 3.5, 4, 7, 8.5, 100]
        let y = [2, 1, 5, 4, 3, 9, 8, .nan]
        #expect(close(Correlation.pearson(x, y), 0.9300676737728403))
        #expect(Correlation.pearson([1, .nan], [2, 3]) == nil)
        #expect(Correlation.pearson([1, 1, 1], [1, 2, 3]) == nil)
    }

    @Test func incompleteBetaAndStudentT() {
        // scipy.special.betainc(2.5, 0.5, 0.3), betainc(10, 0.5, 0.95), betainc(0.5, 0.5, 0.5)
        #expect(close(IncompleteBeta.regularized(a: 2.5, b: 0.5, x: 0.3), 0.018927124071945658, 1e-12))
        #expect(close(IncompleteBeta.regularized(a: 10, b: 0.5, x: 0.95), 0.31715157546554495, 1e-12))
        #expect(close(IncompleteBeta.regularized(a: 0.5, b: 0.5, x: 0.5), 0.5, 1e-12))
        // 2 * scipy.stats.t.sf(2.1, 7), (0.5, 30), (4.0, 3)
        #expect(close(StudentT.twoSidedP(t: 2.1, df: 7), 0.07387119621292265, 1e-11))
        #expect(close(StudentT.twoSidedP(t: -0.5, df: 30), 0.6207230048851272, 1e-11))
        #expect(close(StudentT.twoSidedP(t: 4.0, df: 3), 0.028008456010146152, 1e-11))
    }

    @Test func pairedTTest() throws {
        // scipy.stats.ttest_rel([1.2,2.4,3.1,4.8,5.0,6.3], [1.0,2.0,3.5,4.0,4.1,6.0])
        let r = try #require(PairedTTest.test([1.2, 2.4, 3.1, 4.8, 5.0, 6.3], [1.0, 2.0, 3.5, 4.0, 4.1, 6.0]))
        #expect(close(r.t, 1.92068331336634, 1e-12) && r.df == 5 && close(r.p, 0.11282977617181726, 1e-11))
    }

    @Test func symmetricEigen() {
        // numpy.linalg.eigh([[4,1,.5],[1,3,.2],[.5,.2,1]]), reversed to largest first; numpy's signs are
        // arbitrary, so the vectors are compared up to sign.
        let e = SymmetricEigen([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 1]])
        let values = [4.6942825492616365, 2.3876469314665565, 0.9180705192718056]
        // Rows of v[:, ::-1].T.
        let vectors = [[-0.8449833051495513, -0.5155207786090246, -0.1422727691474571],
                       [-0.5123225819322149, 0.8566140737477254, -0.061138373380684057],
                       [-0.15339095821087242, -0.02122864761759352, 0.9879375276096555]]
        for k in 0..<3 {
            #expect(close(e.values[k], values[k], 1e-12))
            let dot = zip(e.vectors[k], vectors[k]).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(close(abs(dot), 1, 1e-12))
        }
    }

    @Test func pca() {
        // R = [[2,0,1],[1,1,0],[0,3,1],[4,1,2],[3,2,2.5]]; centred SVD: ev = S**2/(n-1); ev/ev.sum(), cumsum
        let p = PCA(rows: [[2, 0, 1], [1, 1, 0], [0, 3, 1], [4, 1, 2], [3, 2, 2.5]])
        let ratio = [0.686237594867338, 0.2952706772672251, 0.01849172786543684]
        let cumulative = [0.686237594867338, 0.9815082721345632, 1.0]
        for k in 0..<3 {
            #expect(close(p.explainedVarianceRatio[k], ratio[k], 1e-12))
            #expect(close(p.cumulative[k], cumulative[k], 1e-12))
        }
    }

    @Test func averageLinkage() {
        // scipy.cluster.hierarchy.linkage(squareform(D), 'average') and leaves_list(Z) for this D.
        let d: [[Double]] = [[0, 2, 6, 10, 9], [2, 0, 5, 9, 8], [6, 5, 0, 4, 5], [10, 9, 4, 0, 3], [9, 8, 5, 3, 0]]
        let l = Linkage(distances: d)
        let expected: [(Int, Int, Double, Int)] = [(0, 1, 2, 2), (3, 4, 3, 2), (2, 6, 4.5, 3), (5, 7, 7.833333333333333, 5)]
        #expect(l.merges.count == 4)
        for (m, e) in zip(l.merges, expected) {
            #expect(m.left == e.0 && m.right == e.1 && close(m.height, e.2) && m.size == e.3)
        }
        #expect(l.order == [0, 1, 2, 3, 4])
    }

    @Test func silhouette() {
        // numpy, by the definition: mean over points of (b - a) / max(a, b), Euclidean.
        let points: [[Double]] = [[0, 0], [0, 1], [1, 0], [5, 5], [6, 5], [5, 6], [2, 2]]
        #expect(close(Silhouette.score(points: points, labels: [0, 0, 0, 1, 1, 1, 0]), 0.7575327197374913))
        #expect(Silhouette.score(points: points, labels: [Int](repeating: 0, count: 7)) == nil)
    }

    @Test func tsneIsDeterministicAndKeepsClustersApart() {
        // Three tight, well-separated blobs in 5 dimensions must stay apart in the embedding.
        var rng = SplitMix64(seed: 3)
        var points: [[Double]] = []
        var labels: [Int] = []
        for c in 0..<3 {
            for _ in 0..<20 {
                points.append((0..<5).map { d in (d == c ? 10.0 : 0) + 0.3 * rng.normal() })
                labels.append(c)
            }
        }
        let tsne = TSNE(perplexity: 10, iterations: 400, seed: 42)
        let a = tsne.embed(points)
        let b = tsne.embed(points)
        #expect(a.coordinates == b.coordinates)
        #expect(a.kl.isFinite && a.kl >= 0)
        #expect((Silhouette.score(points: a.coordinates, labels: labels) ?? 0) > 0.7)
        #expect(TSNE(perplexity: 10, iterations: 400, seed: 43).embed(points).coordinates != a.coordinates)
    }
}
