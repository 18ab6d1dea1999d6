import AtlasCharts

/// RFC 4180 CSV in UTF-8 with CRLF line ends. Text cells go through `CSVText.cell` (shared with the
/// charts' CSVs: quoting and formula neutralization); numbers are written as numbers.
public enum CSVTable {
    public enum Cell {
        case text(String)
        case number(Double?)
        case int(Int?)
    }

    public static func render(header: [String], rows: [[Cell]]) -> String {
        var out = header.map(CSVText.cell).joined(separator: ",") + "\r\n"
        for row in rows {
            out += row.map { cell -> String in
                switch cell {
                case .text(let s): return CSVText.cell(s)
                case .number(let d): return d.map(NumberText.plain) ?? ""
                case .int(let i): return i.map(String.init) ?? ""
                }
            }.joined(separator: ",")
            out += "\r\n"
        }
        return out
    }
}
