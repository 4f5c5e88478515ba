/// One row of the 200-epoch CIFAR-10 NAS-Bench-201 table.
public struct NB201Record: Hashable, Sendable {
    /// Benchmark number 0–15624.
    public let arch: Int
    /// The cell.
    public let cell: NB201Cell
    /// Parameters in millions as the table gives them (some rows are averages,
    /// see `NB201Table.parameterWarnings`).
    public let parametersMillions: Double
    /// The NASWOT training-free score; nil where the source left it empty
    /// (the 341 degenerate cells of the shipped table).
    public let naswotScore: Double?
    /// CIFAR-10 test accuracy (%), trained on train+valid.
    public let testAccuracy: Double
    /// Validation accuracy (%) of the cifar10-valid split.
    public let validAccuracy: Double
    /// Test accuracy (%) of the cifar10-valid split.
    public let validTestAccuracy: Double
}

/// A row whose `params` column disagrees with our own count: the source table
/// holds a few values averaged over several runs/architectures.
public struct NB201ParameterWarning: Hashable, Sendable, CustomStringConvertible {
    /// File line of the row.
    public let line: Int
    /// The row's arch.
    public let arch: Int
    /// `params` as given (millions).
    public let tableMillions: Double
    /// Our count (whole parameters).
    public let computed: Int

    /// One-line message naming the row.
    public var description: String {
        "line \(line): arch \(arch) params \(tableMillions)M, computed \(computed)"
    }
}

/// The 200-epoch CIFAR-10 NAS-Bench-201 table (`nb201-cifar10-200ep.csv[.zst]`).
/// Rows are validated (numbers parse, cell strings parse, arch and cells each
/// appear once); parameter disagreements are collected as warnings, not errors.
public struct NB201Table: Sendable {
    /// Columns, in file order.
    public static let columns = ["arch", "cellstr", "params", "score", "test_top1", "valid_top1", "valid_test_top1"]
    /// Relative tolerance of the params check (the column has 6 decimals of millions).
    public static let parameterTolerance = 1e-6

    /// Path the table was read from.
    public let file: String
    /// Rows in `arch` order.
    public let records: [NB201Record]
    /// The arch ↔ cell mapping of this table.
    public let archIndex: NB201ArchIndex
    /// Rows whose params disagree with `NB201Network.cifar10.parameterCount`.
    public let parameterWarnings: [NB201ParameterWarning]

    /// Reads and validates the table at `path` (plain CSV or `.zst`).
    public static func load(path: String) throws -> NB201Table {
        try NB201Table(csv: CSVFile.load(path: path))
    }

    /// Validates an already read CSV file.
    public init(csv: CSVFile) throws {
        try csv.requireHeader(Self.columns)
        var records: [NB201Record] = []
        var warnings: [NB201ParameterWarning] = []
        var pairs: [(arch: Int, cell: NB201Cell, line: Int)] = []
        for (line, fields) in csv.records {
            let row = try CSVRow(file: csv.file, line: line, fields: fields, header: csv.header)
            let arch = try row.int(0)
            let cell = try parseNB201Cell(row, column: 1)
            let millions = try row.double(2)
            let computed = NB201Network.cifar10.parameterCount(cell)
            let expected = Double(computed) / 1e6
            if abs(millions - expected) > Self.parameterTolerance * expected {
                warnings.append(NB201ParameterWarning(line: line, arch: arch, tableMillions: millions, computed: computed))
            }
            records.append(NB201Record(
                arch: arch, cell: cell, parametersMillions: millions, naswotScore: try row.optionalDouble(3),
                testAccuracy: try row.double(4), validAccuracy: try row.double(5), validTestAccuracy: try row.double(6)))
            pairs.append((arch, cell, line))
        }
        self.archIndex = try NB201ArchIndex(pairs: pairs, file: csv.file)
        self.file = csv.file
        self.records = records.sorted { $0.arch < $1.arch }
        self.parameterWarnings = warnings
    }

    /// The row of `cell`.
    public func record(for cell: NB201Cell) -> NB201Record { records[archIndex.arch(of: cell)] }
}

/// Parses the cell string in `column`, turning a parse error into `badRow`.
func parseNB201Cell(_ row: CSVRow, column: Int) throws -> NB201Cell {
    do {
        return try NB201Cell(string: row.string(column))
    } catch let error as NASError {
        throw row.fail("\(error)")
    }
}
