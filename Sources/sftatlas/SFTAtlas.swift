import ArgumentParser

@main
struct SFTAtlas: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sftatlas",
        abstract: "Explore the results of the massive supervised fine-tuning study.",
        subcommands: [ServeCommand.self, BuildCommand.self, IngestCommand.self, InfoCommand.self, AuditCommand.self, FiguresCommand.self, WeightsCommand.self]
    )
}
