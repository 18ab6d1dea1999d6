/// The site's icon as a 32×32 PNG (a rising line on the accent blue, as `Public/favicon.svg` draws it),
/// for `/favicon.ico`, which browsers ask for when a page names no icon. Browsers read PNG data there.
public enum Favicon {
    public static func png(font: String) -> [UInt8] {
        let canvas = Canvas(width: 32, height: 32, scale: 1, font: font)
        canvas.fill(x: 0, y: 0, w: 32, h: 32, color: RGB(r: 11, g: 92, b: 173))
        let points: [(Double, Double)] = [(6, 24), (13, 14), (19, 19), (26, 8)]
        for (a, b) in zip(points, points.dropFirst()) { canvas.line(a.0, a.1, b.0, b.1, color: .white, width: 3) }
        return canvas.png()
    }
}
