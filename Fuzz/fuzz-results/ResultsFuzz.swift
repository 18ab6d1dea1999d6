// libFuzzer target for a user's result files: the first byte picks a reader (lm-eval JSON, OpenCompass
// summary .csv and .txt, MT-Bench summary, run manifest, score map, OpenCompass result JSON), the rest is
// the file. Built by Fuzz/run.sh with `-sanitize=fuzzer` and AddressSanitizer. Without FUZZING it replays
// the inputs named on its command line.
// Properties: no crash or trap; a failure is an IngestError that names the file, and a line, if any, of 1 or more.
import AtlasIngest
import Foundation

enum ResultsFuzz {
    static func one(_ data: UnsafeBufferPointer<UInt8>) {
        guard let first = data.first else { return }
        let format = UserRunFormats.allCases[Int(first) % UserRunFormats.allCases.count]
        do {
            _ = try format.read(Array(data.dropFirst()), file: "fuzz")
        } catch {
            precondition(error.file.hasPrefix("fuzz"), "error names \(error.file)")
            precondition(error.line.map { $0 >= 1 } ?? true, "line \(String(describing: error.line))")
        }
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("fuzz_results_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        if let data { ResultsFuzz.one(UnsafeBufferPointer(start: data, count: size)) }
        return 0
    }
}
#else
@main struct ResultsFuzzRunner {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes.withUnsafeBufferPointer { ResultsFuzz.one($0) }
            print("ok: \(path)")
        }
    }
}
#endif
