import AtlasCharts
import AtlasSite
import ArgumentParser
import Foundation

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Write the whole site (pages, charts, JSON, CSV, the SQLite file) as a static folder with relative links."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The folder to write. It must be empty, absent, or an earlier build, unless --force is given.")
    var out: String

    @Option(help: "The address the site will be published at, such as https://user.github.io/repo/ (used by sitemap.xml, robots.txt and 404.html).")
    var baseURL: String?

    @Flag(help: "Replace a non-empty folder that was not written by a build; its old contents are moved aside to <out>.replaced, not deleted.")
    var force = false

    @Option(help: "Rendering threads (default: one per core).")
    var threads: Int?

    @Option(help: "The folder holding Templates/ and Public/ (default: found beside the executable or in the working directory).")
    var assets: String?

    func run() throws {
        let (path, store) = try database.open()
        do {
            let started = Date()
            let site = try Site(db: store, assets: try Assets.locate(explicit: assets), style: ChartStyle(font: try ChartStyle.locateFont()))
            Console.error("building \(out) from \((try? store.isSynthetic()) == true ? "the synthetic demo (\(path))" : path)")
            var options = StaticBuild.Options(out: out, baseURL: baseURL, force: force)
            if let threads { options.threads = threads }
            let summary = try StaticBuild(site: site, options: options) { Console.error("  " + $0) }.run()
            let total = Date().timeIntervalSince(started)
            Console.error(String(format: "wrote %d pages, %d files, %.1f MB to %@ in %.2f s (%.2f s loading the data)",
                                 summary.pages, summary.files, Double(summary.bytes) / 1e6, out, total, total - summary.seconds))
            if let aside = summary.setAside { Console.error("the folder's previous contents were moved to \(aside)") }
            if baseURL == nil {
                Console.error("note: without --base-url, sitemap.xml lists relative addresses, which search engines do not accept, and 404.html links relative to the top folder, so its styles and links hold only for missing pages there")
            }
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }
}
