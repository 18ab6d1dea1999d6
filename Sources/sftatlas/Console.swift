import Foundation

/// Messages for the user, on standard error (standard output is kept for data).
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
