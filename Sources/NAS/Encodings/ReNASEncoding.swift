/// The ReNAS feature tensor of a NAS-Bench-101 cell (Xu et al., CVPR 2021):
/// 19 channels of 7×7, channel-major, flattened to 931 values.
///
/// The cell's adjacency A is padded to 7×7 with the padding inserted before
/// the output (`NB101Cell.paddedSlots`). Per-vertex vectors are broadcast
/// along columns and multiplied element-wise by A: entry (i, j) of a channel
/// is A[i][j] · v[j], the value of the edge's *target* vertex. (The paper
/// multiplies broadcast vectors by A without fixing the axis in the text; we
/// use the target so that every vertex but the input, which is always vertex
/// 0 and costs nothing, appears in the tensor.) Channels:
///
/// - 0: op types, codes input 1, conv1x1 2, conv3x3 3, maxpool 4, output 5;
/// - 1–9: FLOPs (millions of MACs, `NB101Cell.vertexFlops`) of the 9 cells of
///   `network`, in network order;
/// - 10–18: parameters (millions, `NB101Cell.vertexParameters`) of the 9 cells.
///
/// So 1 + 9 + 9 = 19 as in the paper: there is no separate adjacency channel,
/// the type channel is non-zero exactly on the edges.
public struct NB101ReNASEncoding: CellEncoding {
    /// The network whose cells' shapes give the FLOPs and parameter channels.
    public let network: NB101Network
    /// Side of each channel.
    public static let side = NB101Cell.maxVertices

    /// The encoding for `network` (default: the benchmark's CIFAR-10 network).
    public init(network: NB101Network = .cifar10) { self.network = network }

    /// `renas-nb101`.
    public var name: String { "renas-nb101" }
    /// Number of channels: 1 type + one FLOPs and one params channel per cell.
    public var channels: Int { 1 + 2 * network.cellShapes.count }
    /// channels × 7 × 7.
    public var featureCount: Int { channels * Self.side * Self.side }

    /// Type code of an op (0 is reserved for "no edge").
    public static func typeCode(_ op: NB101Op) -> Double {
        switch op {
        case .input: return 1
        case .conv1x1: return 2
        case .conv3x3: return 3
        case .maxpool3x3: return 4
        case .output: return 5
        }
    }

    /// The flattened tensor, index `(channel · 7 + row) · 7 + column`.
    public func encode(_ cell: NB101Cell) -> [Double] {
        let side = Self.side, plane = side * side
        let shapes = network.cellShapes
        var out = [Double](repeating: 0, count: featureCount)
        let slot = cell.paddedSlots
        // Same values as `vertexFlops`/`vertexParameters`, but the channel split
        // is computed once per distinct (input, output) pair (5 for 9 cells):
        // this is the hot loop when the whole space is scored.
        var costs: [(input: Int, output: Int, values: [(macsPerPixel: Int, parameters: Int)])] = []
        func cost(_ shape: (input: Int, output: Int, size: Int)) -> [(macsPerPixel: Int, parameters: Int)] {
            if let hit = costs.first(where: { $0.input == shape.input && $0.output == shape.output }) { return hit.values }
            let values = cell.vertexCosts(inputChannels: shape.input, outputChannels: shape.output)
            costs.append((shape.input, shape.output, values))
            return values
        }
        var planes: [[Double]] = [cell.ops.map(Self.typeCode)]
        for shape in shapes {
            planes.append(cost(shape).map { Double($0.macsPerPixel * shape.size * shape.size) / 1e6 })
        }
        for shape in shapes {
            planes.append(cost(shape).map { Double($0.parameters) / 1e6 })
        }
        for i in 0..<cell.vertexCount {
            for j in (i + 1)..<cell.vertexCount where cell.hasEdge(from: i, to: j) {
                for (c, vector) in planes.enumerated() {
                    out[c * plane + slot[i] * side + slot[j]] = vector[j]
                }
            }
        }
        return out
    }
}

/// An analogue of the ReNAS tensor for NAS-Bench-201, 11 channels of 4×4
/// (176 values). NAS-Bench-201 puts ops on edges, so entry (i, j) describes
/// edge i→j directly (no broadcasting):
///
/// - 0–4: one-hot op matrices, one per `NB201Op` in `allCases` order (the
///   `none` channel keeps "edge exists but is zero" distinct from "no edge");
/// - 5–7: FLOPs (millions of MACs) of the edge's op in a cell of stage 1, 2, 3
///   of `network`. They are equal across stages (C²·H² is constant when C
///   doubles and H halves) and kept for symmetry with NB101; standardisation
///   maps them to identical features;
/// - 8–10: parameters (thousands) of the edge's op in stages 1, 2, 3.
public struct NB201ReNASEncoding: CellEncoding {
    /// The network whose stage shapes give the cost channels.
    public let network: NB201Network
    /// Side of each channel.
    public static let side = NB201Cell.nodeCount
    /// Number of channels.
    public static let channels = 11

    /// The encoding for `network` (default: the benchmark's CIFAR-10 network).
    public init(network: NB201Network = .cifar10) { self.network = network }

    /// `renas-nb201`.
    public var name: String { "renas-nb201" }
    /// 11 × 4 × 4.
    public var featureCount: Int { Self.channels * Self.side * Self.side }

    /// The flattened tensor, index `(channel · 4 + row) · 4 + column`.
    public func encode(_ cell: NB201Cell) -> [Double] {
        let side = Self.side, plane = side * side
        var out = [Double](repeating: 0, count: featureCount)
        for (slot, edge) in NB201Cell.edges.enumerated() {
            let op = cell.ops[slot]
            let at = edge.from * side + edge.to
            out[NB201Op.allCases.firstIndex(of: op)! * plane + at] = 1
            var channels = network.channels, size = network.inputSize
            for stage in 0..<3 {
                if stage > 0 { channels *= 2; size = (size + 1) / 2 }
                let cost = Self.edgeCost(op, channels: channels, size: size)
                out[(5 + stage) * plane + at] = Double(cost.macs) / 1e6
                out[(8 + stage) * plane + at] = Double(cost.parameters) / 1e3
            }
        }
        return out
    }

    /// MACs and parameters of one edge op at `channels` and `size`×`size`,
    /// by the same rule as `NB201Cell.flops` / `parameterCount`.
    static func edgeCost(_ op: NB201Op, channels c: Int, size: Int) -> (macs: Int, parameters: Int) {
        switch op {
        case .conv1x1: return (c * c * size * size, c * c + 2 * c)
        case .conv3x3: return (9 * c * c * size * size, 9 * c * c + 2 * c)
        case .none, .skipConnect, .avgPool3x3: return (0, 0)
        }
    }
}
