/// The benchmark's `arch` numbering of NAS-Bench-201 cells.
///
/// The tables number cells 0–15624 in the benchmark's release order, which is
/// not a lexicographic order of the ops (no edge/op ordering reproduces it),
/// so the mapping can only be read from a table. Both NB201 tables share it;
/// loaders check that every row agrees with the index they are given.
public struct NB201ArchIndex: Hashable, Sendable {
    /// `cells[arch]` is the cell numbered `arch`.
    public let cells: [NB201Cell]
    private let archByCell: [NB201Cell: Int]

    /// Builds the index from (arch, cell) pairs that must cover 0..<15625 once
    /// and name every cell once.
    init(pairs: [(arch: Int, cell: NB201Cell, line: Int)], file: String) throws {
        var cells = [NB201Cell?](repeating: nil, count: NB201Cell.cellCount)
        var archByCell: [NB201Cell: Int] = [:]
        for (arch, cell, line) in pairs {
            guard (0..<NB201Cell.cellCount).contains(arch) else {
                throw NASError.badRow(file: file, line: line, reason: "arch \(arch) is outside 0..<\(NB201Cell.cellCount)")
            }
            guard cells[arch] == nil else {
                throw NASError.badRow(file: file, line: line, reason: "arch \(arch) appears twice")
            }
            if let other = archByCell[cell] {
                throw NASError.badRow(file: file, line: line, reason: "cell \(cell) already has arch \(other)")
            }
            cells[arch] = cell
            archByCell[cell] = arch
        }
        guard let missing = cells.firstIndex(where: { $0 == nil }) else {
            self.cells = cells.map { $0! }  // all filled: checked just above
            self.archByCell = archByCell
            return
        }
        throw NASError.badHeader(file: file, reason: "table has no row for arch \(missing)")
    }

    /// The cell numbered `arch`, nil when out of range.
    public func cell(arch: Int) -> NB201Cell? { cells.indices.contains(arch) ? cells[arch] : nil }

    /// The benchmark number of `cell`.
    public func arch(of cell: NB201Cell) -> Int { archByCell[cell]! }  // the index covers all 15,625 cells

    /// Throws `badRow` when the row's (arch, cell) disagrees with this index.
    func check(arch: Int, cell: NB201Cell, file: String, line: Int) throws {
        guard cells.indices.contains(arch), cells[arch] == cell else {
            throw NASError.badRow(file: file, line: line,
                                  reason: "arch \(arch) is \(cell) here but \(self.cell(arch: arch).map { "\($0)" } ?? "out of range") in the reference index")
        }
    }
}
