/// One row of the 12-epoch NAS-Bench-201 table: accuracies (%) on three datasets.
public struct NB201LowFidelityRecord: Hashable, Sendable {
    /// Benchmark number 0–15624.
    public let arch: Int
    /// The cell.
    public let cell: NB201Cell
    /// CIFAR-10 test and validation accuracy after 12 epochs.
    public let cifar10Test: Double, cifar10Valid: Double
    /// CIFAR-100 test and validation accuracy after 12 epochs.
    public let cifar100Test: Double, cifar100Valid: Double
    /// ImageNet16-120 test and validation accuracy after 12 epochs.
    public let imagenetTest: Double, imagenetValid: Double
}

/// The 12-epoch, three-dataset NAS-Bench-201 table (`nb201-12ep-3datasets.csv[.zst]`).
public struct NB201LowFidelityTable: Sendable {
    /// Columns, in file order.
    public static let columns = ["arch", "cellstr", "cifar10-test", "cifar10-val", "cifar100-test", "cifar100-val",
                                 "imagenet-test", "imagenet-val"]

    /// Path the table was read from.
    public let file: String
    /// Rows in `arch` order.
    public let records: [NB201LowFidelityRecord]
    /// The arch ↔ cell mapping of this table.
    public let archIndex: NB201ArchIndex

    /// Reads and validates the table at `path`; when `reference` is given
    /// (e.g. the 200-epoch table's index) every row must agree with it.
    public static func load(path: String, reference: NB201ArchIndex? = nil) throws -> NB201LowFidelityTable {
        try NB201LowFidelityTable(csv: CSVFile.load(path: path), reference: reference)
    }

    /// Validates an already read CSV file.
    public init(csv: CSVFile, reference: NB201ArchIndex? = nil) throws {
        try csv.requireHeader(Self.columns)
        var records: [NB201LowFidelityRecord] = []
        var pairs: [(arch: Int, cell: NB201Cell, line: Int)] = []
        for (line, fields) in csv.records {
            let row = try CSVRow(file: csv.file, line: line, fields: fields, header: csv.header)
            let arch = try row.int(0)
            let cell = try parseNB201Cell(row, column: 1)
            try reference?.check(arch: arch, cell: cell, file: csv.file, line: line)
            records.append(NB201LowFidelityRecord(
                arch: arch, cell: cell, cifar10Test: try row.double(2), cifar10Valid: try row.double(3),
                cifar100Test: try row.double(4), cifar100Valid: try row.double(5),
                imagenetTest: try row.double(6), imagenetValid: try row.double(7)))
            pairs.append((arch, cell, line))
        }
        self.archIndex = try NB201ArchIndex(pairs: pairs, file: csv.file)
        self.file = csv.file
        self.records = records.sorted { $0.arch < $1.arch }
    }

    /// The row of `cell`.
    public func record(for cell: NB201Cell) -> NB201LowFidelityRecord { records[archIndex.arch(of: cell)] }
}
