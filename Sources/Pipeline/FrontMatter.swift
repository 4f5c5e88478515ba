/// The optional YAML header of a pipeline document, between two `---` lines
/// at the very top.
struct FrontMatter {
    /// The YAML text between the delimiters (nil when there is no front matter).
    var yaml: String?
    /// Document line of the first YAML line (2 when present).
    var firstLine: Int
    /// The document with the front matter lines blanked (not removed), so that
    /// cmark's line numbers stay the document's line numbers.
    var body: String
    /// Set when an opening `---` has no closing line.
    var unterminated: Bool

    /// Splits `text` into front matter and body.
    static func split(_ text: String) -> FrontMatter {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func isDelimiter(_ line: Substring, closing: Bool) -> Bool {
            let trimmed = line.trimmingTrailingWhitespace
            return trimmed == "---" || (closing && trimmed == "...")
        }
        guard let first = lines.first, isDelimiter(first, closing: false) else {
            return FrontMatter(yaml: nil, firstLine: 1, body: text, unterminated: false)
        }
        guard let end = lines.indices.dropFirst().first(where: { isDelimiter(lines[$0], closing: true) }) else {
            return FrontMatter(yaml: nil, firstLine: 1, body: text, unterminated: true)
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let blank = Array(repeating: Substring(""), count: end + 1)
        let body = (blank + lines[(end + 1)...]).joined(separator: "\n")
        return FrontMatter(yaml: yaml, firstLine: 2, body: body, unterminated: false)
    }
}

extension Substring {
    /// The substring without trailing spaces, tabs and carriage returns.
    var trimmingTrailingWhitespace: Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }
}
