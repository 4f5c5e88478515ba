import CCmark
import Foundation

/// CommonMark → HTML through libcmark, in its default safe mode: raw HTML
/// (`<script>` included) is omitted and `javascript:` style links are emptied.
///
/// Images are turned into plain links before rendering, because an `<img src>`
/// would make the report fetch from the network (or from a path the reader does
/// not have); figures belong in stage outputs, where the report inlines them.
public enum MarkdownHTML {
    /// The HTML for `markdown`.
    public static func render(_ markdown: String) -> String {
        var bytes = Array(markdown.utf8)
        guard let document = bytes.withUnsafeMutableBufferPointer({ buffer -> OpaquePointer? in
            guard let base = buffer.baseAddress else { return cmark_parse_document("", 0, CMARK_OPT_DEFAULT) }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parse_document($0, buffer.count, CMARK_OPT_DEFAULT)
            }
        }) else { return "" }
        defer { cmark_node_free(document) }
        replaceImagesWithLinks(document)
        guard let html = cmark_render_html(document, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    private static func replaceImagesWithLinks(_ document: OpaquePointer) {
        var images: [OpaquePointer] = []
        if let iterator = cmark_iter_new(document) {
            while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
                if let node = cmark_iter_get_node(iterator), cmark_node_get_type(node) == CMARK_NODE_IMAGE,
                   cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER {
                    images.append(node)
                }
            }
            cmark_iter_free(iterator)
        }
        // Outer images come first (enter order); an image nested in alt text moves into
        // the outer's link before its own turn, so every pointer stays valid.
        for image in images {
            guard let link = cmark_node_new(CMARK_NODE_LINK) else { continue }
            _ = cmark_node_set_url(link, cmark_node_get_url(image))
            _ = cmark_node_set_title(link, cmark_node_get_title(image))
            if let label = cmark_node_new(CMARK_NODE_TEXT) {
                _ = cmark_node_set_literal(label, "image: ")
                _ = cmark_node_append_child(link, label)
            }
            while let child = cmark_node_first_child(image) {
                _ = cmark_node_append_child(link, child) // moves the alt text across
            }
            _ = cmark_node_replace(image, link)
            cmark_node_free(image)
        }
    }
}
