import AtlasIngest
import AtlasStore
import ArgumentParser

/// The `--db` option of commands that read a database, with the demo as the default.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "The database to read. Without it, the synthetic demo database is used (generated on first use).")
    var db: String?

    /// Opens the database read-only; on failure prints the error and exits with status 1.
    func open() throws -> (path: String, store: AtlasDatabase) {
        do {
            let path = try db ?? DemoDatabase.ensure()
            return (path, try AtlasDatabase(path: path))
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }
}
