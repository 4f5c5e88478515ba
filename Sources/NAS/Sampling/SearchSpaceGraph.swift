/// A finite search space as the samplers see it: cells numbered 0..<count,
/// the encoded features of each (what the predictor reads) and the mutation
/// neighbourhood of each (what local search and evolution move along).
///
/// Samplers work on indices so one loop serves NAS-Bench-201, the
/// NAS-Bench-101 table space and synthetic test spaces alike; the oracle is
/// asked about `cells[i]`. Features are encoded once up front because every
/// strategy re-scores cells every iteration, and for the finite spaces here
/// encoding all cells costs less than one predictor fit.
public struct SearchSpaceGraph<Cell: Hashable & Sendable>: Sendable {
    /// Short name for reports (e.g. `nb201`, `nb101-table`).
    public let name: String
    /// The cells, in index order.
    public let cells: [Cell]
    /// One feature row per cell.
    public let features: FeatureMatrix
    /// `neighbours[i]`: indices of the cells one mutation away from cell i
    /// (ascending, without i).
    public let neighbours: [[Int]]
    private let indexByCell: [Cell: Int]

    /// A space; throws unless the rows match the cells, cells are distinct and
    /// every neighbour index is a valid index other than its own.
    public init(name: String, cells: [Cell], features: FeatureMatrix, neighbours: [[Int]]) throws {
        guard !cells.isEmpty, features.rows == cells.count, neighbours.count == cells.count else {
            throw NASError.invalidArgument(name: "space", reason: "'\(name)': \(cells.count) cells, "
                + "\(features.rows) feature rows, \(neighbours.count) neighbourhoods")
        }
        var indexByCell: [Cell: Int] = [:]
        for (i, cell) in cells.enumerated() {
            guard indexByCell.updateValue(i, forKey: cell) == nil else {
                throw NASError.invalidArgument(name: "space", reason: "'\(name)': cell \(cell) appears twice")
            }
        }
        for (i, list) in neighbours.enumerated() where list.contains(where: { $0 < 0 || $0 >= cells.count || $0 == i }) {
            throw NASError.invalidArgument(name: "space", reason: "'\(name)': neighbourhood of cell \(i) has a bad index")
        }
        self.name = name
        self.cells = cells
        self.features = features
        self.neighbours = neighbours.map { Array(Set($0)).sorted() }
        self.indexByCell = indexByCell
    }

    /// Number of cells.
    public var count: Int { cells.count }

    /// Index of `cell`, nil when it is not in the space.
    public func index(of cell: Cell) -> Int? { indexByCell[cell] }
}

extension SearchSpaceGraph {
    /// A space over `cells` encoded by `encoding`, with `mutations` mapping a
    /// cell to its one-step mutants; mutants outside `cells` are dropped, so
    /// a table-restricted space keeps only neighbours the table holds.
    public init<E: CellEncoding>(name: String, cells: [Cell], encoding: E,
                                 mutations: (Cell) -> [Cell]) throws where E.Cell == Cell {
        var indexByCell: [Cell: Int] = [:]
        for (i, cell) in cells.enumerated() { indexByCell[cell] = i }
        let neighbours = cells.enumerated().map { i, cell in
            mutations(cell).compactMap { indexByCell[$0] }.filter { $0 != i }
        }
        try self.init(name: name, cells: cells, features: encoding.encode(cells), neighbours: neighbours)
    }
}
