import Foundation
import Mustache

/// The Mustache templates in `Templates/`, loaded once.
struct TemplateSet: Sendable {
    let library: MustacheLibrary

    init(folder: String) throws {
        var library = MustacheLibrary()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mustache") }.sorted()
        guard !names.isEmpty else { throw AssetError.missing("no .mustache templates in '\(folder)'") }
        for file in names {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            do {
                try library.register(text, named: String(file.dropLast(".mustache".count)))
            } catch {
                throw AssetError.missing("the template '\(folder)/\(file)' does not parse: \(error)")
            }
        }
        self.library = library
    }

    func render(_ name: String, _ context: Any) -> String {
        library.render(context, withTemplate: name) ?? "template '\(name)' is missing"
    }
}

/// Where `Templates/` and `Public/` are: an explicit folder, then `$SFTATLAS_ASSETS`, then the folders
/// above the executable (a checkout running its own build), then the working directory.
public struct Assets: Sendable {
    public let templates: String
    public let publicFolder: String

    public static func locate(explicit: String?) throws -> Assets {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let env = ProcessInfo.processInfo.environment["SFTATLAS_ASSETS"], !env.isEmpty { candidates.append(env) }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.path)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(FileManager.default.currentDirectoryPath)
        for c in candidates {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: c + "/Templates/layout.mustache"),
               FileManager.default.fileExists(atPath: c + "/Public", isDirectory: &isDir), isDir.boolValue {
                return Assets(templates: c + "/Templates", publicFolder: c + "/Public")
            }
        }
        throw AssetError.missing("Templates/ and Public/ were not found; looked in: \(candidates.joined(separator: ", ")). Pass --assets with the folder that holds them")
    }
}

public enum AssetError: Error, CustomStringConvertible {
    case missing(String)
    public var description: String {
        switch self { case .missing(let why): return why }
    }
}
