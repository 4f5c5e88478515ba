import Foundation
import NAS
import Pipeline

/// `nb101.enumerate`: every unique NAS-Bench-101 cell, written as
/// `cells.bin` (`NB101CellFile`) plus `cells.json` metadata.
///
/// `max_vertices` below 7 enumerates a sub-space (cells with at most that many
/// vertices); it exists so tests and quick runs need not wait for the full
/// 423,624 cells.
public struct NB101EnumerateOp: Op {
    /// The op's registry name.
    public static let name = "nb101.enumerate"

    /// An `nb101.enumerate` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 1,
            summary: "enumerate the unique NAS-Bench-101 cells into a compact binary file",
            params: [
                ParamSpec("max_vertices", .int, default: .int(NB101Cell.maxVertices),
                          range: 2...Double(NB101Cell.maxVertices),
                          doc: "largest vertex count enumerated (7 = the whole space, 423,624 cells)"),
                ParamSpec("max_edges", .int, default: .int(NB101Cell.maxEdges), range: 1...Double(NB101Cell.maxEdges),
                          doc: "largest edge count enumerated (9 = the benchmark's limit)"),
            ])
    }

    /// Enumerates, then writes `cells.bin` and `cells.json`.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let maxVertices = try context.int("max_vertices", op: op)
        let maxEdges = try context.int("max_edges", op: op)
        context.progress(OpProgress(fraction: 0, message: "enumerating cells with ≤ \(maxVertices) vertices"))
        let clock = ContinuousClock()
        let start = clock.now
        let cells: [NB101Cell]
        do {
            cells = try NB101SearchSpace.enumerate(maxVertices: maxVertices, maxEdges: maxEdges)
        } catch let error as NASError {
            throw PipelineError.opFailed(op: op, reason: error.description)
        }
        try context.checkCancellation()
        context.progress(OpProgress(fraction: 0.8, message: "writing \(cells.count) cells"))
        let bytes = NB101CellFile.encode(cells)
        try Data(bytes).write(to: context.outputDirectory.appendingPathComponent("cells.bin"))
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

        var byVertices = [Int](repeating: 0, count: NB101Cell.maxVertices + 1)
        for cell in cells { byVertices[cell.vertexCount] += 1 }
        // The time is a metric only (reports, status), never in the artifact,
        // so identical enumerations keep identical bytes.
        let meta = """
            {
              "count" : \(cells.count),
              "format" : "NB101CL1",
              "max_edges" : \(maxEdges),
              "max_vertices" : \(maxVertices),
              "record_size" : \(NB101CellFile.recordSize)
            }

            """
        try Data(meta.utf8).write(to: context.outputDirectory.appendingPathComponent("cells.json"))
        context.progress(OpProgress(fraction: 1, message: "\(cells.count) cells"))
        let table = ReportTable(
            title: "NAS-Bench-101 cells by vertex count",
            columns: ["vertices", "cells"],
            rows: (2...maxVertices).map { [String($0), String(byVertices[$0])] } + [["total", String(cells.count)]])
        return OpResult(outputDirectory: context.outputDirectory,
                        metrics: ["count": Double(cells.count), "seconds": seconds], tables: [table])
    }
}
