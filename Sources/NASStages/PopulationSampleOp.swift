import Foundation
import NAS
import Pipeline

/// `population.sample`: a strength-stratified population of NAS-Bench-201
/// cells and a disjoint held-out set sampled the same way
/// (`StratifiedCellSampler`). Writes `population.txt` and `heldout.txt`, one
/// cell string per line, and `calibration.txt`: `calibration` further cells
/// disjoint from both, for tuning the study's recipe without ever training
/// a held-out cell (empty by default).
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
            ])
    }

    /// Samples both sets and writes them.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let (population, heldOut) = try nasFailure(op: op) {
            try StratifiedCellSampler.populationAndHeldOut(population: try context.int("population", op: op),
                                                           heldOut: try context.int("heldout", op: op),
                                                           seed: try context.seed("seed", op: op))
        }
        let calibration = try nasFailure(op: op) {
            try StratifiedCellSampler.calibration(count: try context.int("calibration", op: op), seed: try context.seed("seed", op: op),
                                                  excluding: Set(population).union(heldOut))
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
        return OpResult(outputDirectory: out, metrics: ["population": Double(population.count), "heldout": Double(heldOut.count),
                                  "calibration": Double(calibration.count)],
                        tables: [ReportTable(title: "Cells per strength level", columns: ["strength", "population", "held-out", "calibration"],
                                             rows: rows)])
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
