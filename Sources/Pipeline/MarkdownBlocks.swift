import CCmark

/// Top-level blocks of a Markdown document as libcmark sees them.
///
/// Only what the pipeline parser needs is kept: fenced code blocks with their
/// info string and body, and the line span of every other block so prose can
/// be copied verbatim from the source into reports.
struct MarkdownBlock: Sendable, Hashable {
    /// What a block is.
    enum Kind: Sendable, Hashable {
        /// A code block; `literal` has the fence indentation removed, `info` is empty for indented code.
        case code(info: String, literal: String)
        /// A heading with its level (1–6).
        case heading(level: Int)
        /// Anything else: paragraphs, lists, quotes, indented code, tables.
        case other
    }

    var kind: Kind
    /// First and last document line of the block (1-based, inclusive).
    var startLine: Int
    var endLine: Int
    /// Column of the block's first character (1-based).
    var startColumn: Int

    /// Parses `text` with libcmark and lists its top-level blocks in order.
    /// Also returns the start positions of fenced blocks nested in lists or
    /// quotes whose info string starts with `stage`, so they can be warned about.
    static func scan(_ text: String) -> (blocks: [MarkdownBlock], nestedStages: [SourceLocation]) {
        var utf8 = Array(text.utf8)
        guard let document = utf8.withUnsafeMutableBufferPointer({ buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                cmark_parse_document($0, buffer.count, CMARK_OPT_DEFAULT)
            }
        }) else { return ([], []) }
        defer { cmark_node_free(document) }
        utf8.removeAll()

        var blocks: [MarkdownBlock] = []
        var child = cmark_node_first_child(document)
        while let node = child {
            blocks.append(block(node))
            child = cmark_node_next(node)
        }

        var nested: [SourceLocation] = []
        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
                guard let node = cmark_iter_get_node(iterator),
                      cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK,
                      cmark_node_parent(node) != document else { continue }
                let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
                if info.split(separator: " ").first == "stage" {
                    nested.append(SourceLocation(line: Int(cmark_node_get_start_line(node)),
                                                 column: Int(cmark_node_get_start_column(node))))
                }
            }
        }
        return (blocks, nested)
    }

    private static func block(_ node: OpaquePointer) -> MarkdownBlock {
        let start = Int(cmark_node_get_start_line(node))
        let end = max(Int(cmark_node_get_end_line(node)), start)
        let column = max(Int(cmark_node_get_start_column(node)), 1)
        let type = cmark_node_get_type(node)
        let kind: Kind
        if type == CMARK_NODE_CODE_BLOCK {
            // cmark 0.30 cannot tell fenced from indented code; indented code has
            // an empty info string and so can never be mistaken for a stage.
            let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
            let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
            kind = .code(info: info, literal: literal)
        } else if type == CMARK_NODE_HEADING {
            kind = .heading(level: Int(cmark_node_get_heading_level(node)))
        } else {
            kind = .other
        }
        return MarkdownBlock(kind: kind, startLine: start, endLine: end, startColumn: column)
    }
}
