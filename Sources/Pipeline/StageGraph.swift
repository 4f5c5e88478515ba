/// The dependency graph of a pipeline: stages and "needs output of" edges.
///
/// Node order is document order, and every traversal breaks ties by it, so
/// the same document always yields the same order; reordering blocks changes
/// only tie-breaking, never keys.
public struct StageGraph: Hashable, Sendable {
    /// Stage names in document order.
    public let nodes: [String]
    /// Stage → the stages it depends on, in document order, without duplicates.
    public let upstream: [String: [String]]
    /// Stage → the stages that depend on it, in document order.
    public let downstream: [String: [String]]
    private let index: [String: Int]

    /// A graph over `nodes`; `edges[b]` lists the stages `b` depends on.
    /// Edges naming unknown stages are dropped (the validator reports them).
    public init(nodes: [String], edges: [String: [String]]) {
        var index: [String: Int] = [:]
        var unique: [String] = []
        for node in nodes where index[node] == nil {
            index[node] = unique.count
            unique.append(node)
        }
        var up: [String: [String]] = [:], down: [String: [String]] = [:]
        for node in unique {
            let deps = Set((edges[node] ?? []).filter { index[$0] != nil })
            up[node] = deps.sorted { index[$0]! < index[$1]! }
            down[node] = down[node] ?? []
            for dep in deps { down[dep, default: []].append(node) }
        }
        for (node, list) in down { down[node] = list.sorted { index[$0]! < index[$1]! } }
        self.nodes = unique
        self.upstream = up
        self.downstream = down
        self.index = index
    }

    /// Position of `stage` in document order.
    public func documentIndex(of stage: String) -> Int? { index[stage] }

    /// Every dependency cycle, each listed from its earliest stage in document
    /// order and closed (`[a, b, c, a]`); empty for a DAG.
    public func cycles() -> [[String]] {
        // Tarjan's strongly connected components; a component with more than one
        // node, or a self-edge, contains a cycle, which is then walked explicitly.
        var counter = 0, stack: [String] = [], onStack = Set<String>()
        var low: [String: Int] = [:], number: [String: Int] = [:]
        var components: [[String]] = []
        func connect(_ v: String) {
            number[v] = counter; low[v] = counter; counter += 1
            stack.append(v); onStack.insert(v)
            for w in upstream[v] ?? [] {
                if number[w] == nil {
                    connect(w)
                    low[v] = min(low[v]!, low[w]!)
                } else if onStack.contains(w) {
                    low[v] = min(low[v]!, number[w]!)
                }
            }
            if low[v] == number[v] {
                var component: [String] = []
                while let w = stack.popLast() {
                    onStack.remove(w)
                    component.append(w)
                    if w == v { break }
                }
                components.append(component)
            }
        }
        for node in nodes where number[node] == nil { connect(node) }

        var result: [[String]] = []
        for component in components {
            let members = Set(component)
            guard let start = component.min(by: { index[$0]! < index[$1]! }) else { continue }
            if component.count == 1 && !(upstream[start] ?? []).contains(start) { continue }
            // Shortest walk along downstream edges inside the component from
            // `start` back to it (breadth-first, neighbours in document order), so
            // the cycle prints in data-flow order: a -> b means b uses a.
            var parent: [String: String] = [:]
            var queue = [start], head = 0, last: String?
            search: while head < queue.count {
                let current = queue[head]; head += 1
                for next in (downstream[current] ?? []) where members.contains(next) {
                    if next == start { last = current; break search }
                    if parent[next] == nil { parent[next] = current; queue.append(next) }
                }
            }
            var path = [start]
            var walk = last
            while let node = walk, node != start { path.insert(node, at: 1); walk = parent[node] }
            path.append(start)
            result.append(path)
        }
        return result.sorted { index[$0[0]]! < index[$1[0]]! }
    }

    /// Stages in an order where every stage follows its dependencies; ties go
    /// to document order. Nil when the graph has a cycle.
    public func topologicalOrder() -> [String]? {
        var remaining = Dictionary(uniqueKeysWithValues: nodes.map { ($0, upstream[$0]?.count ?? 0) })
        var ready = nodes.filter { remaining[$0] == 0 }
        var order: [String] = []
        while !ready.isEmpty {
            let next = ready.removeFirst()
            order.append(next)
            for dependant in downstream[next] ?? [] {
                remaining[dependant]! -= 1
                if remaining[dependant] == 0 {
                    let at = ready.firstIndex { index[$0]! > index[dependant]! } ?? ready.endIndex
                    ready.insert(dependant, at: at)
                }
            }
        }
        return order.count == nodes.count ? order : nil
    }

    /// `stage` and everything it transitively depends on (for `--until STAGE`),
    /// in document order.
    public func ancestors(of stage: String, including: Bool = true) -> [String] {
        var seen: Set<String> = []
        var work = [stage]
        while let next = work.popLast() {
            for dep in upstream[next] ?? [] where seen.insert(dep).inserted { work.append(dep) }
        }
        if including { seen.insert(stage) }
        return nodes.filter { seen.contains($0) }
    }

    /// Everything that transitively depends on `stage`, in document order.
    public func descendants(of stage: String) -> [String] {
        var seen: Set<String> = []
        var work = [stage]
        while let next = work.popLast() {
            for dep in downstream[next] ?? [] where seen.insert(dep).inserted { work.append(dep) }
        }
        return nodes.filter { seen.contains($0) }
    }

    /// The graph restricted to `keep` (edges to dropped stages vanish).
    public func subgraph(_ keep: Set<String>) -> StageGraph {
        StageGraph(nodes: nodes.filter { keep.contains($0) },
                   edges: upstream.filter { keep.contains($0.key) })
    }
}
