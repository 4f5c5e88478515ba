extension NB101Cell {
    /// The valid cells one edit away from this one: one edge i→j (i < j)
    /// added or removed, or one interior vertex relabelled with another
    /// interior op, as in NAS-Bench-101's own mutation rule but on the pruned
    /// graph (a mutant is pruned again, and dropped if it breaks the space's
    /// limits). Mutants may be isomorphic to each other or to this cell;
    /// compare `fingerprint`s to identify them.
    public var mutations: [NB101Cell] {
        let n = vertexCount
        var out: [NB101Cell] = []
        for i in 0..<n {
            for j in (i + 1)..<n {
                var flipped = rows
                flipped[i] ^= 1 << UInt8(j)
                if let cell = try? NB101Cell(unprunedRows: flipped, ops: ops) { out.append(cell) }
            }
        }
        for v in 1..<(n - 1) {
            for op in NB101Op.interior where op != ops[v] {
                var relabelled = ops
                relabelled[v] = op
                out.append(NB101Cell(prunedRows: rows, ops: relabelled))  // same graph, still valid
            }
        }
        return out
    }
}

extension SearchSpaceGraph where Cell == NB101Cell {
    /// The cells of an NAS-Bench-101 table as a space of their own (rows in
    /// table order), encoded by `encoding`. A cell's neighbours are the table
    /// cells isomorphic to one of its `mutations`: the table holds a sample of
    /// the 423,624 cells, so a neighbourhood keeps only mutants it has.
    public static func nb101<E: CellEncoding>(table: NB101Table, encoding: E) throws -> SearchSpaceGraph
    where E.Cell == NB101Cell {
        try nb101(cells: table.records.map(\.cell), encoding: encoding)
    }

    /// `cells` (pairwise non-isomorphic) as a space; neighbours as for a table.
    public static func nb101<E: CellEncoding>(cells: [NB101Cell], encoding: E) throws -> SearchSpaceGraph
    where E.Cell == NB101Cell {
        var hasher = NB101Fingerprinter()
        var indexByDigest: [MD5Words: Int] = [:]
        for (i, cell) in cells.enumerated() {
            guard indexByDigest.updateValue(i, forKey: hasher.digest(rows: cell.rows, labels: cell.fingerprintLabels)) == nil else {
                throw NASError.invalidArgument(name: "cells", reason: "cell \(i) (\(cell)) is isomorphic to an earlier one")
            }
        }
        let neighbours = cells.enumerated().map { i, cell in
            cell.mutations.compactMap { indexByDigest[hasher.digest(rows: $0.rows, labels: $0.fingerprintLabels)] }
                .filter { $0 != i }
        }
        return try SearchSpaceGraph(name: "nb101-table", cells: cells, features: encoding.encode(cells),
                                    neighbours: neighbours)
    }
}

extension TableOracle where Cell == NB101Cell {
    /// The NAS-Bench-101 table as a space of its own: validation accuracy is
    /// `val_acc_108` in percent (×100, so both spaces share one unit); the
    /// table has no test accuracy, so reports fall back to validation.
    public static func nb101(_ table: NB101Table) throws -> TableOracle {
        var entries: [NB101Cell: Entry] = [:]
        for record in table.records {
            entries[record.cell] = Entry(validation: 100 * record.validationAccuracy108, test: nil)
        }
        return try TableOracle(name: "nb101-table-val108", entries: entries)
    }
}
