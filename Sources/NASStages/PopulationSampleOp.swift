import Foundation
import NAS
import Pipeline

/// `population.sample`: a strength-stratified population of NAS-Bench-201
/// cells and a disjoint held-out set sampled the same way
/// (`StratifiedCellSampler`). Writes `population.txt` and `heldout.txt`, one
/// cell string per line, and `calibration.txt`: `calibration` further cells
/// disjoint from both, for tuning the study's recipe without ever training
/// a held-out cell (empty by default).
///
/// `stratify` picks the strata (`CellStratification`): `structure` (pooling
/// class, then convolutions on paths) or equal-width bins of one 12-epoch
/// accuracy column of the NAS-Bench-201 table given as the `table` input (its
/// digest, like every input's, is in the stage's cache key).
public struct PopulationSampleOp: Op {
    /// The op's registry name.
    public static let name = "population.sample"

    /// A `population.sample` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 2,
            summary: "strength-stratified NB201 population and disjoint held-out cells",
            params: [
                ParamSpec("population", .int, default: 20, range: 2...5000, doc: "population size K"),
                ParamSpec("heldout", .int, default: 30, range: 2...5000, doc: "held-out architectures M"),
                ParamSpec("seed", .int, default: 0, range: 0...1_000_000, doc: "sampling seed"),
                ParamSpec("calibration", .int, default: 0, range: 0...5000,
                          doc: "calibration cells, disjoint from both sets (for tuning the recipe)"),
                ParamSpec("stratify", .string, default: "structure",
                          allowed: (["structure"] + Self.tableColumns.keys.sorted()).map { .string($0) },
                          doc: "strata: structure (pooling class, then convolutions on paths) or a 12-epoch "
                              + "accuracy column of the `table` input in equal-width bins"),
                ParamSpec("bins", .int, default: 10, range: 2...1000, doc: "score bins when stratify names a table column"),
            ],
            inputs: [
                InputSpec("table", required: false,
                          doc: "the 12-epoch NAS-Bench-201 table (data/nb201/nb201-12ep-3datasets.csv.zst); "
                              + "needed when stratify names one of its columns"),
            ])
    }

    /// The `stratify` values that name a column of the 12-epoch table (test accuracy, %).
    static let tableColumns: [String: @Sendable (NB201LowFidelityRecord) -> Double] = [
        "cifar10-12ep": { $0.cifar10Test }, "cifar100-12ep": { $0.cifar100Test }, "imagenet16-12ep": { $0.imagenetTest },
    ]

    /// The strata `stratify` asks for, reading the `table` input when it names a column.
    func stratification(_ context: OpContext) throws -> CellStratification {
        let op = Self.name
        let name = try context.string("stratify", op: op)
        guard let column = Self.tableColumns[name] else { return .structure }
        guard let url = context.inputs["table"] else {
            throw PipelineError.opFailed(op: op, reason: "stratify '\(name)' needs the `table` input "
                                         + "(data/nb201/nb201-12ep-3datasets.csv.zst)")
        }
        let table = try CSVInput.read(url, displayName: "table", op: op) { try NB201LowFidelityTable(csv: $0) }
        // The table's arch index already requires one row per cell of the space, so every cell has a score.
        let scores = Dictionary(uniqueKeysWithValues: table.records.map { ($0.cell, column($0)) })
        return .scoreBins(scores: scores, bins: try context.int("bins", op: op))
    }

    /// Samples both sets and writes them.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let stratification = try stratification(context)
        let (population, heldOut) = try nasFailure(op: op) {
            try StratifiedCellSampler.populationAndHeldOut(population: try context.int("population", op: op),
                                                           heldOut: try context.int("heldout", op: op),
                                                           seed: try context.seed("seed", op: op),
                                                           stratification: stratification)
        }
        let calibration = try nasFailure(op: op) {
            try StratifiedCellSampler.calibration(count: try context.int("calibration", op: op), seed: try context.seed("seed", op: op),
                                                  excluding: Set(population).union(heldOut), stratification: stratification)
        }
        let out = context.outputDirectory
        for (file, cells) in [("population.txt", population), ("heldout.txt", heldOut), ("calibration.txt", calibration)] {
            try Data(cells.map { $0.cellString + "\n" }.joined().utf8).write(to: out.appendingPathComponent(file))
        }
        func histogram(_ cells: [NB201Cell]) -> [Int: Int] {
            Dictionary(grouping: cells, by: \.strength).mapValues(\.count)
        }
        let (p, h, c) = (histogram(population), histogram(heldOut), histogram(calibration))
        let rows = Set(p.keys).union(h.keys).union(c.keys).sorted().map {
            ["\($0)", "\(p[$0] ?? 0)", "\(h[$0] ?? 0)", "\(c[$0] ?? 0)"]
        }
        var tables = [ReportTable(title: "Cells per strength level", columns: ["strength", "population", "held-out", "calibration"],
                                  rows: rows)]
        if case .scoreBins(_, let bins) = stratification, let range = try nasFailure(op: op, { try stratification.scoreRange() }) {
            func bin(_ cell: NB201Cell) -> Int { stratification.stratum(of: cell, range: range)?.level ?? -1 }
            let counts = [population, heldOut, calibration].map { Dictionary(grouping: $0, by: bin).mapValues(\.count) }
            let width = (range.upperBound - range.lowerBound) / Double(bins)
            let binRows = (0..<bins).map { level -> [String] in
                let low = range.lowerBound + Double(level) * width
                return [String(format: "%.1f–%.1f", low, low + width)] + counts.map { "\($0[level] ?? 0)" }
            }
            tables.append(ReportTable(title: "Cells per score bin (\(try context.string("stratify", op: op)) accuracy, %)",
                                      columns: ["bin", "population", "held-out", "calibration"], rows: binRows))
        }
        return OpResult(outputDirectory: out, metrics: ["population": Double(population.count), "heldout": Double(heldOut.count),
                                  "calibration": Double(calibration.count)],
                        tables: tables)
    }

    /// Reads a cells file written by this op.
    static func readCells(_ url: URL, op: String) throws -> [NB201Cell] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw PipelineError.opFailed(op: op, reason: "cannot read \(url.lastPathComponent): \(error)")
        }
        return try text.split(separator: "\n").map { line in try nasFailure(op: op) { try NB201Cell(string: String(line)) } }
    }
}
