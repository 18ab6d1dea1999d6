/// Agglomerative clustering with average linkage (UPGMA), in SciPy's `linkage` conventions.
public struct Linkage: Equatable, Codable, Sendable {
    /// One merge: clusters `left` < `right` (ids below n are leaves; n + i is the cluster made by merge i),
    /// at `height` (the mean distance between their members), giving a cluster of `size` leaves.
    public struct Merge: Equatable, Codable, Sendable {
        public var left: Int
        public var right: Int
        public var height: Double
        public var size: Int
    }

    public var merges: [Merge]
    /// Leaves left to right as a dendrogram draws them (SciPy's `leaves_list`).
    public var order: [Int]

    /// Clusters `n` items from their symmetric distance matrix. Ties are broken by the lowest pair of ids.
    /// O(n³): meant for tens of items.
    public init(distances: [[Double]]) {
        let n = distances.count
        var members: [Int: [Int]] = [:]
        for i in 0..<n { members[i] = [i] }
        var active = Array(0..<n)
        var d: [Int: [Int: Double]] = [:]
        for i in 0..<n { for j in 0..<n where i != j { d[i, default: [:]][j] = distances[i][j] } }
        var merges: [Merge] = []
        var children: [Int: (Int, Int)] = [:]
        while active.count > 1 {
            var best = (a: -1, b: -1, h: Double.infinity)
            for x in 0..<active.count {
                for y in (x + 1)..<active.count {
                    let a = active[x], b = active[y]
                    let h = d[a]![b]!
                    if h < best.h || (h == best.h && (min(a, b), max(a, b)) < (min(best.a, best.b), max(best.a, best.b))) {
                        best = (a, b, h)
                    }
                }
            }
            let (a, b) = (min(best.a, best.b), max(best.a, best.b))
            let id = n + merges.count
            let size = members[a]!.count + members[b]!.count
            merges.append(Merge(left: a, right: b, height: best.h, size: size))
            children[id] = (a, b)
            members[id] = members[a]! + members[b]!
            active.removeAll { $0 == a || $0 == b }
            // Average linkage: the new cluster's distance to k is the size-weighted mean of its parts'.
            let na = Double(members[a]!.count), nb = Double(members[b]!.count)
            for k in active {
                let h = (na * d[a]![k]! + nb * d[b]![k]!) / (na + nb)
                d[id, default: [:]][k] = h
                d[k, default: [:]][id] = h
            }
            active.append(id)
        }
        self.merges = merges
        var order: [Int] = []
        func visit(_ id: Int) {
            if let (l, r) = children[id] { visit(l); visit(r) } else { order.append(id) }
        }
        if n > 0 { visit(n == 1 ? 0 : n + merges.count - 1) }
        self.order = order
    }
}
