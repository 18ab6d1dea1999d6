@testable import AtlasIngest
import Testing

@Suite struct CSVReaderTests {
    private func records(_ text: String) throws -> [[String]] {
        var reader = CSVReader(bytes: Array(text.utf8))
        var out: [[String]] = []
        while let r = try reader.next() { out.append((0..<r.count).map { r.string($0) }) }
        return out
    }

    private func lines(_ text: String) throws -> [[Int]] {
        var reader = CSVReader(bytes: Array(text.utf8))
        var out: [[Int]] = []
        while let r = try reader.next() { out.append(r.lines) }
        return out
    }

    @Test func plainFieldsAndEmptyCells() throws {
        #expect(try records("a,b,c\n1,,3\n") == [["a", "b", "c"], ["1", "", "3"]])
    }

    @Test func byteOrderMarkIsDropped() throws {
        #expect(try records("\u{FEFF},model_name\n0,x\n") == [["", "model_name"], ["0", "x"]])
    }

    @Test func crlfAndLoneCRLineEndings() throws {
        #expect(try records("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(try records("a,b\r1,2\r") == [["a", "b"], ["1", "2"]])
    }

    @Test func quotedCommasQuotesAndLineBreaks() throws {
        let text = "name,note\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n"
        #expect(try records(text) == [["name", "note"], ["x, y", "say \"hi\""], ["two\nlines", "z"]])
    }

    @Test func linesCountBreaksInsideQuotedFields() throws {
        // Record 2 starts on line 2 and its second field on line 3; record 3 starts on line 4.
        let text = "a,b\n\"one\ntwo\",x\ny,z\n"
        #expect(try lines(text) == [[1, 1], [2, 3], [4, 4]])
        #expect(try lines("a,b\r\n\"1\r\n2\",3\r\n4,5\r\n") == [[1, 1], [2, 3], [4, 4]])
    }

    @Test func emptyLinesAreSkipped() throws {
        #expect(try records("a\n\n1\n\n") == [["a"], ["1"]])
    }

    @Test func unterminatedQuoteNamesItsLine() {
        #expect(throws: CSVReader.Failure.unterminatedQuote(line: 2)) { try records("a,b\n1,\"open\nnever closed") }
    }

    @Test func textAfterClosingQuoteIsRejected() {
        #expect(throws: CSVReader.Failure.textAfterQuote(line: 2)) { try records("a,b\n\"x\"y,2\n") }
    }

    @Test func lastLineWithoutNewline() throws {
        var reader = CSVReader(bytes: Array("a,b\n1,2".utf8))
        _ = try reader.next()
        #expect(try reader.next().map { r in (0..<r.count).map { r.string($0) } } == ["1", "2"])
        #expect(reader.endsWithoutNewline)
    }
}

@Suite struct NumberParserTests {
    private func parse(_ s: String) -> Double? {
        var s = s
        return s.withUTF8 { NumberParser.score($0) }
    }

    @Test func numbers() {
        #expect(parse("1.5") == 1.5)
        #expect(parse("-0.25") == -0.25)
        #expect(parse(" 42 ") == 42)
        #expect(parse("16.790662983425413") == 16.790662983425413)
        #expect(parse("1e-3") == 0.001)
    }

    @Test func missingMarkersAreNaN() {
        for text in ["", "  ", "nan", "NaN", "NAN", "None"] {
            #expect(parse(text)?.isNaN == true, "'\(text)' should be missing")
        }
    }

    @Test func textInfinityAndHexAreRejected() {
        for text in ["abc", "1.5x", "inf", "-inf", "0x10", "1,5", "--1"] {
            #expect(parse(text) == nil, "'\(text)' should be rejected")
        }
    }
}
