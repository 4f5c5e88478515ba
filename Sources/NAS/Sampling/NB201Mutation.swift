extension NB201Cell {
    /// The 24 cells that differ from this one in exactly one edge's operation
    /// (6 edges × 4 other ops): the mutation neighbourhood used by local
    /// search and regularized evolution on NAS-Bench-201 (Dong & Yang's
    /// evolution baseline mutates one edge the same way). Ordered by edge,
    /// then by op in `NB201Op.allCases` order.
    public var mutations: [NB201Cell] {
        var out: [NB201Cell] = []
        out.reserveCapacity(Self.edgeCount * (NB201Op.allCases.count - 1))
        for edge in 0..<Self.edgeCount {
            for op in NB201Op.allCases where op != ops[edge] {
                var changed = ops
                changed[edge] = op
                out.append(try! NB201Cell(ops: changed))  // six ops: always a valid cell
            }
        }
        return out
    }
}

extension SearchSpaceGraph where Cell == NB201Cell {
    /// All 15,625 NAS-Bench-201 cells in `canonicalIndex` order, encoded by
    /// `encoding`, each with its 24 one-edge mutants as neighbours.
    public static func nb201<E: CellEncoding>(encoding: E) throws -> SearchSpaceGraph where E.Cell == NB201Cell {
        try SearchSpaceGraph(name: "nb201", cells: NB201Cell.all, encoding: encoding, mutations: \.mutations)
    }
}

extension TableOracle where Cell == NB201Cell {
    /// NAS-Bench-201 CIFAR-10: validation accuracy is `valid_top1` (the
    /// cifar10-valid split), the reported test accuracy is `test_top1`.
    public static func nb201(_ table: NB201Table) throws -> TableOracle {
        var entries: [NB201Cell: Entry] = [:]
        for record in table.records {
            entries[record.cell] = Entry(validation: record.validAccuracy, test: record.testAccuracy)
        }
        return try TableOracle(name: "nb201-cifar10-valid", entries: entries)
    }
}
