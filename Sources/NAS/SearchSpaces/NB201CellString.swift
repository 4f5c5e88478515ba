/// Parsing and printing of the NAS-Bench-201 cell string
/// `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`: one `+`-separated group per node
/// 1…3, listing the op on the edge from each earlier node `~k`.
extension NB201Cell {
    /// The canonical string form; `NB201Cell(string:)` inverts it.
    public var cellString: String {
        var groups: [String] = []
        var slot = 0
        for node in 1..<Self.nodeCount {
            var tokens: [String] = []
            for source in 0..<node {
                tokens.append("\(ops[slot].rawValue)~\(source)")
                slot += 1
            }
            groups.append("|" + tokens.joined(separator: "|") + "|")
        }
        return groups.joined(separator: "+")
    }

    /// Parses a cell string; errors name the offending token.
    public init(string text: String) throws {
        let groups = text.split(separator: "+", omittingEmptySubsequences: false)
        guard groups.count == Self.nodeCount - 1 else {
            throw NASError.invalidNB201Cell(
                text: text, token: text, reason: "\(groups.count) '+'-separated node groups, expected \(Self.nodeCount - 1)")
        }
        var ops: [NB201Op] = []
        for (g, group) in groups.enumerated() {
            let node = g + 1
            guard group.count >= 2, group.first == "|", group.last == "|" else {
                throw NASError.invalidNB201Cell(text: text, token: String(group), reason: "node group must start and end with '|'")
            }
            let tokens = group.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
            guard tokens.count == node else {
                throw NASError.invalidNB201Cell(
                    text: text, token: String(group), reason: "node \(node) needs \(node) incoming edges, found \(tokens.count)")
            }
            for (source, token) in tokens.enumerated() {
                let parts = token.split(separator: "~", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw NASError.invalidNB201Cell(text: text, token: String(token), reason: "expected 'op~source'")
                }
                guard let op = NB201Op(rawValue: String(parts[0])) else {
                    throw NASError.invalidNB201Cell(text: text, token: String(token), reason: "unknown op '\(parts[0])'")
                }
                guard Int(parts[1]) == source else {
                    throw NASError.invalidNB201Cell(
                        text: text, token: String(token), reason: "source must be \(source) at this position")
                }
                ops.append(op)
            }
        }
        try self.init(ops: ops)
    }
}
