/// The NAS-Bench-101 network that a cell is stacked into, and its cost model.
///
/// Stem: 3×3 conv (3 → `stemChannels`) + BN + ReLU. Then `stacks` stacks of
/// `cellsPerStack` cells; before every stack but the first a 2×2 max-pool
/// halves the resolution and the channel count doubles. Global average pool,
/// dense layer to `classes` with bias. Convolutions have no bias; BN has two
/// trainable parameters (scale, offset) per channel.
///
/// FLOPs are multiply-accumulates of convolutions and the dense layer only
/// (k·k·Cin·Cout·H·W per conv, in·out for the dense layer); BN, ReLU, pooling,
/// additions, concatenation and truncation count zero. Padding is `same`, so
/// every conv in a stack runs at that stack's resolution.
public struct NB101Network: Hashable, Sendable {
    /// Channels of the stem convolution (and of the first stack).
    public var stemChannels: Int
    /// Number of stacks.
    public var stacks: Int
    /// Cells per stack.
    public var cellsPerStack: Int
    /// Output classes of the dense layer.
    public var classes: Int
    /// Side of the square input image.
    public var inputSize: Int
    /// Input image channels.
    public var inputChannels: Int

    /// The benchmark's CIFAR-10 network: 128 stem channels, 3×3 cells, 32×32×3 input.
    public static let cifar10 = NB101Network(
        stemChannels: 128, stacks: 3, cellsPerStack: 3, classes: 10, inputSize: 32, inputChannels: 3)

    /// Memberwise initialiser.
    public init(stemChannels: Int, stacks: Int, cellsPerStack: Int, classes: Int, inputSize: Int, inputChannels: Int) {
        self.stemChannels = stemChannels
        self.stacks = stacks
        self.cellsPerStack = cellsPerStack
        self.classes = classes
        self.inputSize = inputSize
        self.inputChannels = inputChannels
    }

    /// (input channels, output channels, resolution) of every cell, in order.
    public var cellShapes: [(input: Int, output: Int, size: Int)] {
        var shapes: [(Int, Int, Int)] = []
        var channels = stemChannels
        var size = inputSize
        for stack in 0..<stacks {
            var input = channels
            if stack > 0 {
                channels *= 2
                size = (size + 1) / 2  // 2×2 max-pool with `same` padding
            }
            for _ in 0..<cellsPerStack {
                shapes.append((input, channels, size))
                input = channels
            }
        }
        return shapes
    }

    /// Channels entering the dense layer.
    public var finalChannels: Int { stemChannels << max(0, stacks - 1) }

    /// Trainable parameters of the whole network built from `cell`.
    public func parameterCount(_ cell: NB101Cell) -> Int {
        let stem = 9 * inputChannels * stemChannels + 2 * stemChannels
        let cells = cellShapes.reduce(0) { $0 + cell.parameterCount(inputChannels: $1.input, outputChannels: $1.output) }
        return stem + cells + finalChannels * classes + classes
    }

    /// Multiply-accumulates of one forward pass of one image.
    public func flops(_ cell: NB101Cell) -> Int {
        let stem = 9 * inputChannels * stemChannels * inputSize * inputSize
        let cells = cellShapes.reduce(0) {
            $0 + cell.flops(inputChannels: $1.input, outputChannels: $1.output, size: $1.size)
        }
        return stem + cells + finalChannels * classes
    }
}

extension NB101Cell {
    /// Output channels of every vertex, by the benchmark's splitting rule: the
    /// output channels are divided evenly among the vertices feeding the output
    /// (the first `remainder` of them, in vertex order, get one more); every
    /// other interior vertex takes the largest count among its interior
    /// successors (visited last to first); vertex 0 keeps `inputChannels`.
    public func vertexChannels(inputChannels: Int, outputChannels: Int) -> [Int] {
        let n = vertexCount
        var channels = [Int](repeating: 0, count: n)
        channels[0] = inputChannels
        channels[n - 1] = outputChannels
        guard n > 2 else { return channels }
        let fanIn = (1..<(n - 1)).filter { hasEdge(from: $0, to: n - 1) }.count
        // A pruned cell with interior vertices always has fan-in ≥ 1.
        let share = outputChannels / fanIn
        var remainder = outputChannels % fanIn
        for v in 1..<(n - 1) where hasEdge(from: v, to: n - 1) {
            channels[v] = share
            if remainder > 0 {
                channels[v] += 1
                remainder -= 1
            }
        }
        for v in stride(from: n - 3, through: 1, by: -1) where !hasEdge(from: v, to: n - 1) {
            for dst in (v + 1)..<(n - 1) where hasEdge(from: v, to: dst) {
                channels[v] = max(channels[v], channels[dst])
            }
        }
        return channels
    }

    /// Trainable parameters of one cell: a 1×1 conv+BN projection from the
    /// cell input into every vertex it feeds (and into the output when input
    /// connects to it directly), plus each vertex's conv+BN; pooling is free.
    public func parameterCount(inputChannels: Int, outputChannels: Int) -> Int {
        let channels = vertexChannels(inputChannels: inputChannels, outputChannels: outputChannels)
        let n = vertexCount
        var total = 0
        for v in 1..<(n - 1) {
            let c = channels[v]
            if hasEdge(from: 0, to: v) { total += inputChannels * c + 2 * c }
            total += Self.kernelArea(ops[v]) * c * c + (Self.kernelArea(ops[v]) > 0 ? 2 * c : 0)
        }
        if hasEdge(from: 0, to: n - 1) { total += inputChannels * outputChannels + 2 * outputChannels }
        return total
    }

    /// Multiply-accumulates of one cell at `size`×`size` resolution.
    public func flops(inputChannels: Int, outputChannels: Int, size: Int) -> Int {
        let channels = vertexChannels(inputChannels: inputChannels, outputChannels: outputChannels)
        let n = vertexCount
        let pixels = size * size
        var total = 0
        for v in 1..<(n - 1) {
            let c = channels[v]
            if hasEdge(from: 0, to: v) { total += inputChannels * c * pixels }
            total += Self.kernelArea(ops[v]) * c * c * pixels
        }
        if hasEdge(from: 0, to: n - 1) { total += inputChannels * outputChannels * pixels }
        return total
    }

    /// k·k of a vertex's convolution, 0 for an op without weights.
    static func kernelArea(_ op: NB101Op) -> Int {
        switch op {
        case .conv3x3: return 9
        case .conv1x1: return 1
        case .input, .output, .maxpool3x3: return 0
        }
    }
}
