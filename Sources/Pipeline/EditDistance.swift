/// "Did you mean" suggestions for misspelt op, param and stage names.
public enum Suggestion {
    /// Edit distance between `a` and `b` counting insertions, deletions,
    /// substitutions and swaps of neighbouring characters as one edit each
    /// (optimal string alignment), since swapped letters are the commonest typo.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        // d[i][j] = distance between the first i scalars of x and the first j of y.
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }

    /// The candidate closest to `name`, if it is close enough to be a plausible typo
    /// (at most a third of the name's length, minimum 1 edit); ties go to the
    /// alphabetically first candidate so the suggestion is deterministic.
    public static func closest<S: Sequence>(to name: String, among candidates: S) -> String?
    where S.Element == String {
        let limit = max(1, name.count / 3)
        var best: (distance: Int, name: String)?
        for candidate in candidates {
            let d = editDistance(name, candidate)
            guard d <= limit else { continue }
            if best == nil || d < best!.distance || (d == best!.distance && candidate < best!.name) {
                best = (d, candidate)
            }
        }
        return best?.name
    }

    /// `; did you mean 'x'?` or the empty string, for appending to a message.
    static func hint<S: Sequence>(for name: String, among candidates: S) -> String
    where S.Element == String {
        closest(to: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
