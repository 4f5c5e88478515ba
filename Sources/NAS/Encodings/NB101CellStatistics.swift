import Foundation

/// Cheap, label-free summary statistics of a NAS-Bench-101 cell, as a
/// predictor input beside the structural encodings: the flat and path
/// encodings say *which* edges and ops a cell has, but the quantity that
/// correlates most with NB101 accuracy, the size of the network the cell
/// builds, is only implicit in them (it depends on the channel-splitting rule).
///
/// Features (11), in order:
/// 0. log10 of the whole network's parameter count (`NB101Network.parameterCount`),
/// 1. log10 of its multiply-adds per image (`NB101Network.flops`),
/// 2–4. number of conv3×3, conv1×1 and max-pool vertices,
/// 5. vertices, 6. edges (of the pruned cell as given),
/// 7. depth: edges on the longest input→output path,
/// 8. in-degree of the output (how many branches are concatenated),
/// 9. out-degree of the input,
/// 10. log2 of the number of distinct input→output paths.
///
/// Sizes are log-scaled because they span an order of magnitude and act
/// multiplicatively; predictors standardise every column on their training
/// rows, so no other scaling is applied here.
public struct NB101CellStatistics: CellEncoding {
    /// The network whose size features are computed.
    public let network: NB101Network

    /// Statistics for cells placed in `network` (default: the benchmark's CIFAR-10 network).
    public init(network: NB101Network = .cifar10) { self.network = network }

    /// `stats-nb101`.
    public var name: String { "stats-nb101" }
    /// 11.
    public var featureCount: Int { 11 }

    /// The statistics of `cell` (see the type's documentation for the order).
    public func encode(_ cell: NB101Cell) -> [Double] {
        let n = cell.vertexCount
        let last = n - 1
        // Longest path and path count by one forward pass: vertices are in topological order.
        var depth = [Int](repeating: Int.min, count: n), paths = [Double](repeating: 0, count: n)
        depth[0] = 0
        paths[0] = 1
        for w in 1..<n {
            for v in 0..<w where cell.hasEdge(from: v, to: w) && depth[v] != Int.min {
                depth[w] = max(depth[w], depth[v] + 1)
                paths[w] += paths[v]
            }
        }
        func count(_ op: NB101Op) -> Double { Double(cell.ops.filter { $0 == op }.count) }
        let inDegreeOutput = (0..<last).filter { cell.hasEdge(from: $0, to: last) }.count
        let outDegreeInput = (1..<n).filter { cell.hasEdge(from: 0, to: $0) }.count
        return [
            log10(Double(network.parameterCount(cell))),
            log10(Double(network.flops(cell))),
            count(.conv3x3), count(.conv1x1), count(.maxpool3x3),
            Double(n), Double(cell.edgeCount),
            Double(max(0, depth[last])),
            Double(inDegreeOutput), Double(outDegreeInput),
            log2(max(1, paths[last])),
        ]
    }
}
