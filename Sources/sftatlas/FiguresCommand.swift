import AtlasCharts
import AtlasIngest
import AtlasSite
import AtlasStore
import ArgumentParser
import Foundation

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Draw the paper's figures from a database's stored analyses: a PNG, a CSV and alt text for each."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The folder to write into (created if needed).")
    var out: String

    @Option(help: "Pixel density: 1, or 2 for sharp display.")
    var scale: Int = 1

    func validate() throws {
        guard scale == 1 || scale == 2 else { throw ValidationError("--scale must be 1 or 2") }
    }

    func run() throws {
        let store = try database.open().store
        do {
            let style = ChartStyle(font: try ChartStyle.locateFont(), scale: scale)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let started = Date()
            let figures = try Figures(db: store, style: style).all()
            for f in figures {
                let base = "\(out)/\(f.name)"
                try Data(f.chart.png).write(to: URL(fileURLWithPath: base + ".png"))
                try Data(f.chart.csv.utf8).write(to: URL(fileURLWithPath: base + ".csv"))
                try Data((f.caption + "\n\n" + f.chart.alt + "\n").utf8).write(to: URL(fileURLWithPath: base + ".txt"))
            }
            Console.error("drew \(figures.count) figures into \(out) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }
}
