import CFiles
import AtlasStore
import Foundation

/// Writes the site as a folder of files: every document of `Site.paths()`, answered by the same
/// `Site.respond` the server uses, with relative links; then `404.html`, `robots.txt`, `sitemap.xml` and
/// a `SHA256SUMS` manifest.
///
/// The build goes to a fresh folder beside the target and is swapped into place at the end, so a failed
/// build leaves the target as it was. A target that is not empty and was not written by a build is
/// refused unless `force` is set; even then its old contents are moved aside, never deleted.
public struct StaticBuild {
    public struct Options: Sendable {
        public var out: String
        /// The address the site will be published at ("https://example.org/atlas/"); used for the sitemap,
        /// robots.txt and the 404 page, which a host serves at any depth.
        public var baseURL: String?
        public var force = false
        /// Worker threads for rendering (default: one per core).
        public var threads = ProcessInfo.processInfo.activeProcessorCount

        public init(out: String, baseURL: String? = nil, force: Bool = false) {
            self.out = out
            self.baseURL = baseURL
            self.force = force
        }
    }

    /// What one kind of document cost. Kinds are rendered together on the same threads, so their cost is
    /// CPU time (summed over threads), not a share of the wall-clock time.
    public struct Part: Sendable {
        public var kind: String
        public var files = 0
        public var bytes = 0
        public var cpuSeconds = 0.0
    }

    public struct Summary: Sendable {
        public var parts: [Part] = []
        public var files: Int { parts.reduce(0) { $0 + $1.files } }
        public var bytes: Int { parts.reduce(0) { $0 + $1.bytes } }
        public var seconds = 0.0
        public var pages: Int { parts.first { $0.kind == SitePath.Kind.page.label }?.files ?? 0 }
        /// Where a foreign folder's old contents were moved (with `force`), if anywhere.
        public var setAside: String?
    }

    public enum BuildError: Error, CustomStringConvertible {
        case notEmpty(String)
        case notAFolder(String)
        case badBaseURL(String)
        case badPath(String)
        case failedDocument(path: String, status: Int)
        case io(String, Int32)

        public var description: String {
            switch self {
            case .notEmpty(let dir):
                return "\(dir) is not empty and was not written by sftatlas build; choose another folder or pass --force (its contents are then moved aside, not deleted)"
            case .notAFolder(let p): return "\(p) exists and is not a folder"
            case .badBaseURL(let u): return "--base-url must be an http:// or https:// address, not '\(u)'"
            case .badPath(let p): return "the site path \(p) cannot be written as a file"
            case let .failedDocument(path, status): return "\(path) answered \(status); nothing was written to the target"
            case let .io(what, code): return "\(what): \(String(cString: strerror(code)))"
            }
        }
    }

    /// The file that marks a folder as written by a build (so a later build may replace it).
    public static let marker = ".sftatlas-build"
    static let markerText = "This folder was written by `sftatlas build`; a later build replaces it.\n"

    let site: Site
    let options: Options
    let progress: @Sendable (String) -> Void

    public init(site: Site, options: Options, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.site = site
        self.options = options
        self.progress = progress
    }

    /// Builds the site; on any error the target is left untouched and the temporary folder removed.
    public func run() throws -> Summary {
        let started = Date()
        let target = URL(fileURLWithPath: options.out).standardizedFileURL.path
        var baseURL = options.baseURL
        if let u = baseURL {
            guard u.hasPrefix("https://") || u.hasPrefix("http://"), !u.contains(where: { $0 == "\"" || $0 == "<" || $0 == ">" || $0.isWhitespace }) else {
                throw BuildError.badBaseURL(u)
            }
            if !u.hasSuffix("/") { baseURL = u + "/" }
        }
        let existing = try Self.inspect(target)
        if existing == .foreign && !options.force { throw BuildError.notEmpty(target) }

        let parent = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        var template = Array("\(parent)/.\((target as NSString).lastPathComponent).building-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BuildError.io("creating a temporary folder in \(parent)", errno) }
        let staging = String(cString: made)
        var summary: Summary
        do {
            summary = try write(into: staging, baseURL: baseURL)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        // After the exchange the staging name holds the old contents: from here nothing is removed on error.
        summary.setAside = try swap(staging, into: target, existing: existing)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    enum Existing { case absent, empty, ours, foreign }

    static func inspect(_ target: String) throws -> Existing {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isFolder) else { return .absent }
        guard isFolder.boolValue else { throw BuildError.notAFolder(target) }
        let entries = try FileManager.default.contentsOfDirectory(atPath: target)
        if entries.isEmpty { return .empty }
        return entries.contains(marker) ? .ours : .foreign
    }

    /// Every document, then the files only a written site has, then the manifest.
    ///
    /// All kinds go through one queue, the costliest kind (charts) first, so the threads stay busy to the
    /// end instead of waiting for each other at the end of every kind.
    func write(into staging: String, baseURL: String?) throws -> Summary {
        var summary = Summary()
        var digests: [(String, String)] = []
        let all = site.paths()
        let order: [SitePath.Kind] = [.chart, .page, .data, .asset]
        let queue = order.flatMap { kind in all.filter { $0.kind == kind } }
        progress(order.map { kind in "\(queue.filter { $0.kind == kind }.count) \(kind.label)" }.joined(separator: ", "))
        let written = try render(queue.map(\.path), into: staging)
        for kind in SitePath.Kind.allCases {
            var part = Part(kind: kind.label)
            for (p, w) in zip(queue, written) where p.kind == kind {
                part.files += 1
                part.bytes += w.bytes
                part.cpuSeconds += w.cpuSeconds
            }
            progress(String(format: "%@: %d files, %.1f MB, %.2f s of CPU time", kind.label, part.files, Double(part.bytes) / 1e6, part.cpuSeconds))
            summary.parts.append(part)
        }
        digests += written.map { ($0.file, $0.sha256) }

        // The files a host needs that the server answers differently or not at all.
        let pages = all.filter { $0.kind == .page }.map(\.path)
        let notFound = site.notFoundPage(links: Links(root: baseURL ?? "", index: baseURL == nil ? "index.html" : "", written: true))
        let extras: [(String, [UInt8])] = [
            ("404.html", notFound.body),
            ("robots.txt", Array(("User-agent: *\nAllow: /\n" + (baseURL.map { "Sitemap: \($0)sitemap.xml\n" } ?? "")).utf8)),
            ("sitemap.xml", Array(Self.sitemap(pages, baseURL: baseURL).utf8)),
            (Self.marker, Array(Self.markerText.utf8)),
        ]
        let cpu0 = Self.threadCPUTime()
        var part = Part(kind: "host files and manifest")
        for (name, bytes) in extras {
            try Self.writeFile(staging + "/" + name, bytes)
            digests.append((name, SHA256.hex(of: bytes)))
            part.files += 1
            part.bytes += bytes.count
        }
        // sha256sum -c reads this format: digest, two spaces, path.
        let manifest = Array(digests.sorted { $0.0 < $1.0 }.map { "\($0.1)  \($0.0)\n" }.joined().utf8)
        try Self.writeFile(staging + "/SHA256SUMS", manifest)
        part.files += 1
        part.bytes += manifest.count
        part.cpuSeconds = Self.threadCPUTime() - cpu0
        summary.parts.append(part)
        return summary
    }

    struct Written: Sendable {
        var file: String
        var bytes: Int
        var sha256: String
        /// The rendering thread's CPU time for answering, hashing and writing the document.
        var cpuSeconds: Double
    }

    /// The calling thread's CPU time so far, in seconds.
    static func threadCPUTime() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The file a site path is written to: folders get `index.html`; segments are percent-decoded.
    static func file(for path: String) throws -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if path.hasSuffix("/") { segments[segments.count - 1] = "index.html" }
        let decoded = try segments.map { s -> String in
            guard let d = s.removingPercentEncoding, !d.isEmpty, d != ".", d != "..", !d.contains("/"), !d.contains("\0"), !d.hasPrefix(".") else {
                throw BuildError.badPath(path)
            }
            return d
        }
        return decoded.joined(separator: "/")
    }

    /// Renders `paths` on the worker threads, writing each file as it is answered.
    func render(_ paths: [String], into staging: String) throws -> [Written] {
        let files = try paths.map(Self.file(for:))
        // Every folder and its parents, parents first (sorted), each made with one mkdir.
        var folders = Set<String>()
        for f in files {
            var folder = (f as NSString).deletingLastPathComponent
            while !folder.isEmpty, folders.insert(folder).inserted { folder = (folder as NSString).deletingLastPathComponent }
        }
        for folder in folders.sorted() where mkdir(staging + "/" + folder, 0o755) != 0 && errno != EEXIST {
            throw BuildError.io("creating \(staging)/\(folder)", errno)
        }
        let results = Slots<Result<Written, Error>>(count: paths.count)
        let workers = max(1, min(options.threads, paths.count))
        let next = IndexCounter(limit: paths.count), finished = IndexCounter(limit: paths.count)
        let step = max(1, paths.count / 10)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take() {
                let cpu0 = Self.threadCPUTime()
                let path = paths[i]
                let decoded = path.removingPercentEncoding ?? path
                let answer = site.respond(path: decoded, query: [], links: .relative(from: path))
                guard answer.status == 200 else {
                    results.set(i, .failure(BuildError.failedDocument(path: path, status: answer.status)))
                    next.stop() // the build has failed: hand out nothing more
                    continue
                }
                do {
                    try Self.writeFile(staging + "/" + files[i], answer.body)
                    let digest = SHA256.hex(of: answer.body)
                    results.set(i, .success(Written(file: files[i], bytes: answer.body.count, sha256: digest, cpuSeconds: Self.threadCPUTime() - cpu0)))
                } catch {
                    results.set(i, .failure(error))
                    next.stop()
                }
                if let n = finished.take(), (n + 1) % step == 0 || n + 1 == paths.count { progress("written \(n + 1) of \(paths.count)") }
            }
        }
        // The first failure in path order is reported; after one, some documents were never rendered.
        if let failure = results.values.lazy.compactMap({ $0 }).first(where: { if case .failure = $0 { true } else { false } }) {
            _ = try failure.get()
        }
        return try results.values.map { try $0!.get() }
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BuildError.io("creating \(path)", errno) }
        defer { close(fd) }
        var done = 0
        try bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BuildError.io("writing \(path)", errno)
                }
                done += n
            }
        }
    }

    static func sitemap(_ pages: [String], baseURL: String?) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for p in pages {
            let loc = (baseURL ?? "") + String(p.dropFirst())
            out += "<url><loc>"
            HTMLTable.escape(loc.isEmpty ? "./" : loc, into: &out)
            out += "</loc></url>\n"
        }
        return out + "</urlset>\n"
    }

    /// Puts the staging folder at `target`. An old build, or an empty folder, is removed afterwards; a
    /// foreign folder (only with `force`) is kept beside the target under a new name, which is returned.
    func swap(_ staging: String, into target: String, existing: Existing) throws -> String? {
        if existing == .absent {
            guard rename(staging, target) == 0 else { throw BuildError.io("moving the build to \(target)", errno) }
            return nil
        }
        // One atomic exchange: readers see the old site or the new one, never a mix.
        guard renameat2(AT_FDCWD, staging, AT_FDCWD, target, CFILES_RENAME_EXCHANGE) == 0 else {
            throw BuildError.io("swapping the build into \(target)", errno)
        }
        if existing == .foreign {
            var aside = target + ".replaced"
            var n = 1
            while FileManager.default.fileExists(atPath: aside) { n += 1; aside = target + ".replaced-\(n)" }
            guard rename(staging, aside) == 0 else { throw BuildError.io("keeping the old contents at \(aside)", errno) }
            return aside
        }
        try FileManager.default.removeItem(atPath: staging)
        return nil
    }
}
