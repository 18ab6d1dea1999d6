import AtlasSite
import Foundation
import Testing

/// JSON strings: what must not appear raw (markup, control characters, the JavaScript line separators)
/// is checked on the text, and Foundation's JSONSerialization, an independent parser, reads every string
/// back unchanged.
@Suite struct JSONTests {
    @Test func stringsEscapeMarkupAndControlCharactersAndReadBack() throws {
        let samples = ["plain", "a\"b\\c", "</script><!--", "A&B", "tab\tnew\nline\r", "\u{1}\u{8}\u{1F}",
                       "line\u{2028}and\u{2029}paragraph", "é ü 漢字 🙂", "—", ""]
        for s in samples {
            let text = JSON.string(s).serialized
            #expect(!text.contains("<") && !text.contains(">") && !text.contains("&"), "\(text)")
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x2028 || $0.value == 0x2029 }, "\(text)")
            let back = try #require(try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [String])
            #expect(back == [s])
        }
        // Text without anything to escape is written as it is.
        #expect(JSON.string("é ü 漢字 🙂 — plain").serialized == "\"é ü 漢字 🙂 — plain\"")
    }
}
