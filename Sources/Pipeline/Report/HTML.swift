import Foundation

/// Escaping and SVG clean-up for the HTML report.
///
/// Everything that comes from an artifact or a record (metric names, table cells,
/// messages, file text) goes through `escape`; only cmark's HTML (which omits raw
/// HTML in its default safe mode) and sanitised SVG are inserted as markup.
public enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// An SVG document made safe to inline, or nil when `svg` contains no `<svg>` element.
    ///
    /// Minimal by design (figures come from our own ops and shell stages, not from
    /// strangers): keeps only the `<svg>…</svg>` element, drops `<script>` and
    /// `<foreignObject>` elements and every `on…` event attribute, points any
    /// non-fragment `href` at `#` and replaces non-fragment CSS `url(…)` and
    /// `@import`, so an inlined figure can never load anything.
    public static func sanitizeSVG(_ svg: String) -> String? {
        guard let start = svg.range(of: "<svg", options: .caseInsensitive),
              let end = svg.range(of: "</svg>", options: [.caseInsensitive, .backwards]),
              start.lowerBound < end.lowerBound else { return nil }
        var text = String(svg[start.lowerBound..<end.upperBound])
        let rules: [(pattern: String, template: String)] = [
            ("<script\\b[\\s\\S]*?(</script\\s*>|$)", ""),
            ("<foreignObject\\b[\\s\\S]*?(</foreignObject\\s*>|$)", ""),
            ("<(script|foreignObject)\\b[^>]*/>", ""),
            ("\\s+on[a-zA-Z]+\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)", ""),
            ("(\\s(?:xlink:)?href\\s*=\\s*)(\"(?!#)[^\"]*\"|'(?!#)[^']*'|(?![\"'#])[^\\s>]+)", "$1\"#\""),
            // CSS inside SVG (style attributes, <style> blocks) can load too.
            ("url\\(\\s*(?![\"']?#)[^)]*\\)", "none"),
            ("@import[^;]*;?", ""),
        ]
        for rule in rules {
            guard let regex = try? NSRegularExpression(pattern: rule.pattern, options: [.caseInsensitive]) else { continue }
            text = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                  withTemplate: rule.template)
        }
        return text
    }
}
