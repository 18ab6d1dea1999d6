import AtlasAnalysis
import AtlasStore
import Foundation

extension Figures {
    /// Where a user's runs go on the model map. t-SNE places only the runs it was fit on (the release's),
    /// so each user run is put at the mean position of its 5 nearest released runs in the map's own space:
    /// main-benchmark scores standardized by the released runs' means and deviations, a missing score
    /// taken as its column's mean (as the map imputes). Empty without user runs.
    func userRunPositions(_ map: ScoreMapResult) throws -> [(id: String, x: Double, y: Double)] {
        let rows = try db.runs(RunFilter(), limit: Int.max).rows
        let users = rows.filter { $0.run.isUser && !$0.run.key.isBase }
        guard !users.isEmpty else { return [] }
        let columns = map.benchmarks.map(\.id)
        let byID = Dictionary(rows.map { ($0.run.id, $0) }, uniquingKeysWith: { a, _ in a })
        let placed = map.points.compactMap { p in byID[p.id].map { (point: p, row: $0) } }
        guard placed.count >= 5 else { return [] }
        // The released runs' mean and standard deviation per column, over present values.
        var mean = [Double](repeating: 0, count: columns.count), sd = [Double](repeating: 1, count: columns.count)
        for (c, id) in columns.enumerated() {
            let v = placed.compactMap { $0.row.scores[id] ?? nil }
            guard v.count > 1 else { continue }
            let m = v.reduce(0, +) / Double(v.count)
            let s = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
            (mean[c], sd[c]) = (m, s > 0 ? s : 1)
        }
        func z(_ row: RunRow) -> [Double] { columns.enumerated().map { c, id in ((row.scores[id] ?? nil).map { ($0 - mean[c]) / sd[c] }) ?? 0 } }
        let released = placed.map { (p: $0.point, z: z($0.row)) }
        return users.map { u in
            let q = z(u)
            let nearest = released.map { r in (r.p, zip(r.z, q).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }) }
                .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }.prefix(5)
            return (u.run.id, nearest.reduce(0) { $0 + $1.0.x } / Double(nearest.count), nearest.reduce(0) { $0 + $1.0.y } / Double(nearest.count))
        }
    }
}
