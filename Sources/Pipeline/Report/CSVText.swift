/// A small RFC 4180 reader for showing CSV outputs as tables (`show`, reports).
///
/// Quoted fields may hold commas, doubled quotes and line breaks; `\r\n` and `\n`
/// both end records. It is for display only, so it never fails: an unterminated
/// quote simply runs to the end of the text.
public enum CSVText {
    /// The records of `text` (at most `limit`, when given); empty lines are skipped.
    public static func parse(_ text: String, separator: Character = ",", limit: Int? = nil) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character?
        func endRow() {
            row.append(field)
            field = ""
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
        }
        while let ch = pending ?? iterator.next() {
            pending = nil
            if let limit, rows.count >= limit { return rows }
            if quoted {
                if ch == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(ch)
                }
            } else if ch == "\"" && field.isEmpty {
                quoted = true
            } else if ch == separator {
                row.append(field)
                field = ""
            } else if ch == "\n" || ch == "\r\n" || ch == "\r" {
                endRow()
            } else {
                field.append(ch)
            }
        }
        if !field.isEmpty || !row.isEmpty { endRow() }
        if let limit, rows.count > limit { rows.removeLast(rows.count - limit) }
        return rows
    }

    /// Number of records in `text` without keeping them (for "N more rows" notes).
    public static func count(_ text: String, separator: Character = ",") -> Int {
        parse(text, separator: separator).count
    }
}
