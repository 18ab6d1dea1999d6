// libFuzzer target for ingest: each input is a CSV file, read, checked, normalized and analysed
// (`Ingest.load`, the paper's analyses included). Built by Fuzz/run.sh with `-sanitize=fuzzer` and
// AddressSanitizer; seeded with the fixture files and, when present, the head of the released CSV.
// Without FUZZING it replays the inputs named on its command line.
// Properties: no crash or trap; a failure is an IngestError that names the file and, for a row, its line.
import AtlasIngest
import Foundation

enum IngestFuzz {
    static func one(_ data: UnsafeBufferPointer<UInt8>) {
        do {
            _ = try Ingest().load(files: [("fuzz.csv", Array(data))], synthetic: false)
        } catch {
            precondition(error.file == "fuzz.csv", "error names \(error.file)")
            precondition(error.line.map { $0 >= 1 } ?? true, "line \(String(describing: error.line))")
        }
    }
}

#if FUZZING
// SwiftPM links an executable's entry point as `<module>_main`; here it hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("fuzz_ingest_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        if let data { IngestFuzz.one(UnsafeBufferPointer(start: data, count: size)) }
        return 0
    }
}
#else
@main struct IngestFuzzRunner {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes.withUnsafeBufferPointer { IngestFuzz.one($0) }
            print("ok: \(path)")
        }
    }
}
#endif
