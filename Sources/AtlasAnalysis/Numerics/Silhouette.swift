/// The mean silhouette coefficient of a labelled set of points, with Euclidean distance.
///
/// For point i: a = mean distance to the other members of its cluster, b = the smallest mean distance
/// to another cluster's members, s = (b − a) / max(a, b); s = 0 for a point alone in its cluster
/// (scikit-learn's convention). `nil` with fewer than 2 clusters. O(n²).
public enum Silhouette {
    public static func score(points: [[Double]], labels: [Int]) -> Double? {
        precondition(points.count == labels.count, "silhouette: lengths differ")
        let clusters = Array(Set(labels)).sorted()
        guard clusters.count >= 2, clusters.count < points.count else { return nil }
        let index = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        let sizes = clusters.map { c in labels.filter { $0 == c }.count }
        var total = 0.0
        var sums = [Double](repeating: 0, count: clusters.count)
        for i in points.indices {
            for k in sums.indices { sums[k] = 0 }
            for j in points.indices where j != i {
                var s = 0.0
                for t in points[i].indices { let d = points[i][t] - points[j][t]; s += d * d }
                sums[index[labels[j]]!] += s.squareRoot()
            }
            let own = index[labels[i]]!
            guard sizes[own] > 1 else { continue }
            let a = sums[own] / Double(sizes[own] - 1)
            var b = Double.infinity
            for k in sums.indices where k != own { b = min(b, sums[k] / Double(sizes[k])) }
            total += (b - a) / max(a, b)
        }
        return total / Double(points.count)
    }
}
