/// One row of the NAS-Bench-101 table: a cell and its training results.
public struct NB101Record: Hashable, Sendable {
    /// The cell (the benchmark's representative of its isomorphism class).
    public let cell: NB101Cell
    /// The benchmark fingerprint, equal to `cell.fingerprint`.
    public let hash: String
    /// Validation accuracy (0–1) after 4, 12, 36 and 108 epochs.
    public let validationAccuracy4: Double, validationAccuracy12: Double,
               validationAccuracy36: Double, validationAccuracy108: Double
    /// Training time in seconds of the 108-epoch run.
    public let trainTime108: Double
    /// Trainable parameters of the full network, equal to our own count.
    public let parameters: Int
}

/// The NAS-Bench-101 table (`nb101-20k.csv[.zst]`), every row validated:
/// the cell parses and is valid, `num_vertices`/`num_edges` match it, and the
/// `hash` and `params` columns equal our own fingerprint and parameter count.
public struct NB101Table: Sendable {
    /// Columns, in file order.
    public static let columns = ["hash", "num_vertices", "num_edges", "adjacency", "ops", "val_acc_4", "val_acc_12",
                                 "val_acc_36", "val_acc_108", "train_time_108_s", "params"]

    /// Path the table was read from.
    public let file: String
    /// Rows in file order.
    public let records: [NB101Record]
    private let byHash: [String: Int]

    /// Reads and validates the table at `path` (plain CSV or `.zst`).
    public static func load(path: String) throws -> NB101Table {
        try NB101Table(csv: CSVFile.load(path: path))
    }

    /// Validates an already read CSV file.
    public init(csv: CSVFile) throws {
        try csv.requireHeader(Self.columns)
        let network = NB101Network.cifar10
        var hasher = NB101Fingerprinter()
        var records: [NB101Record] = []
        var byHash: [String: Int] = [:]
        records.reserveCapacity(csv.records.count)
        for (line, fields) in csv.records {
            let row = try CSVRow(file: csv.file, line: line, fields: fields, header: csv.header)
            let cell: NB101Cell
            do {
                cell = try NB101Cell(adjacencyDigits: row.string(3), opsField: row.string(4))
            } catch let error as NASError {
                throw row.fail("\(error)")
            }
            let vertices = try row.int(1), edges = try row.int(2), params = try row.int(10)
            let accuracies = try (5...8).map { try row.double($0) }
            let trainTime = try row.double(9)
            guard vertices == cell.vertexCount, edges == cell.edgeCount, cell.matrix.count * cell.matrix.count == fields[3].count else {
                throw row.fail("num_vertices/num_edges \(vertices)/\(edges) disagree with the pruned cell "
                    + "(\(cell.vertexCount)/\(cell.edgeCount)); the table stores pruned cells")
            }
            let hash = row.string(0)
            let ours = hasher.digest(rows: cell.rows, labels: cell.fingerprintLabels).hex
            guard hash == ours else { throw row.fail("hash \(hash) disagrees with the computed fingerprint \(ours)") }
            let computed = network.parameterCount(cell)
            guard params == computed else { throw row.fail("params \(params) disagree with the computed count \(computed)") }
            guard byHash[hash] == nil else { throw row.fail("duplicate hash \(hash)") }
            byHash[hash] = records.count
            records.append(NB101Record(
                cell: cell, hash: hash,
                validationAccuracy4: accuracies[0], validationAccuracy12: accuracies[1],
                validationAccuracy36: accuracies[2], validationAccuracy108: accuracies[3],
                trainTime108: trainTime, parameters: params))
        }
        self.file = csv.file
        self.records = records
        self.byHash = byHash
    }

    /// The row whose fingerprint is `hash`, if any.
    public func record(hash: String) -> NB101Record? { byHash[hash].map { records[$0] } }

    /// The row of the cell isomorphic to `cell`, if the table holds it.
    public func record(for cell: NB101Cell) -> NB101Record? { record(hash: cell.fingerprint) }
}
