import Numerics

/// One NAS-Bench-101 cell as a layer, following the benchmark's model builder.
///
/// Vertex channels come from `NB101Cell.vertexChannels`. Vertex v's input is the sum of its
/// interior predecessors, each truncated to v's channels (keep the first channels), plus a
/// 1x1 conv-BN-ReLU projection of the cell input when 0→v; the vertex op (conv-BN-ReLU or a 3x3
/// stride-1 max pool) is applied to that sum. The output concatenates the interior vertices
/// feeding it (their channels add up to the output width) and adds a projection of the input
/// when 0→output; with no interior predecessor the output is that projection alone.
/// x: [N, H, W, Cin] -> [N, H, W, Cout].
public final class NB101CellModule: Layer {
    /// The cell this module implements.
    public let cell: NB101Cell
    /// Channels of every vertex (vertex 0 = cell input, last = output).
    public let channels: [Int]
    let projections: [Int: any Layer]  // keyed by target vertex
    let vertexOps: [Int: any Layer]    // keyed by interior vertex
    private var cachedVertexShapes: [[Int]] = []

    /// A cell from `inputChannels` to `outputChannels` channels, initialised from `generator`.
    public init(cell: NB101Cell, inputChannels: Int, outputChannels: Int, name: String = "cell", generator: inout SplitMix64) {
        self.cell = cell
        channels = cell.vertexChannels(inputChannels: inputChannels, outputChannels: outputChannels)
        let n = cell.vertexCount
        var projections: [Int: any Layer] = [:], vertexOps: [Int: any Layer] = [:]
        for v in 1..<n {
            if cell.hasEdge(from: 0, to: v) {
                projections[v] = convBNReLU(inputChannels, channels[v], kernel: 1, name: "\(name).proj\(v)", generator: &generator)
            }
            guard v < n - 1 else { break }
            switch cell.ops[v] {
            case .conv3x3: vertexOps[v] = convBNReLU(channels[v], channels[v], kernel: 3, name: "\(name).v\(v)", generator: &generator)
            case .conv1x1: vertexOps[v] = convBNReLU(channels[v], channels[v], kernel: 1, name: "\(name).v\(v)", generator: &generator)
            case .maxpool3x3, .input, .output: vertexOps[v] = MaxPool2d(kernel: 3, stride: 1, padding: 1)
            }
        }
        self.projections = projections
        self.vertexOps = vertexOps
    }

    /// Interior predecessors of `v` (excluding the cell input), ascending.
    private func interiorSources(_ v: Int) -> [Int] { (1..<v).filter { cell.hasEdge(from: $0, to: v) } }

    /// x: [N, H, W, Cin] -> [N, H, W, Cout].
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        let n = cell.vertexCount
        var values: [Tensor] = [input]
        for v in 1..<(n - 1) {
            var sum: Tensor?
            for src in interiorSources(v) {
                let t = truncate(values[src], to: channels[v], context: context)
                if sum == nil { sum = t } else { addInPlace(&sum!, t, context: context) }
            }
            if let projection = projections[v] {
                let p = projection.forward(input, training: training, context: context)
                if sum == nil { sum = p } else { addInPlace(&sum!, p, context: context) }
            }
            // A pruned cell gives every interior vertex at least one predecessor.
            values.append(vertexOps[v]!.forward(sum!, training: training, context: context))
        }
        let feeding = interiorSources(n - 1)
        var output = feeding.isEmpty ? nil : concatenateChannels(feeding.map { values[$0] }, context: context)
        if let projection = projections[n - 1] {
            let p = projection.forward(input, training: training, context: context)
            if output == nil { output = p } else { addInPlace(&output!, p, context: context) }
        }
        cachedVertexShapes = values.map(\.shape)
        return output!
    }

    /// Reverse vertex order: every consumer of vertex v has a larger index, so dL/dv is complete
    /// when v is visited. Truncation's backward pads the gradient with zero channels.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        let n = cell.vertexCount
        var gradients = [Tensor?](repeating: nil, count: n)
        var dInput: Tensor?
        let feeding = interiorSources(n - 1)
        if !feeding.isEmpty {
            let parts = splitChannels(outputGradient, sizes: feeding.map { channels[$0] }, context: context)
            for (src, part) in zip(feeding, parts) { gradients[src] = part }
        }
        if let projection = projections[n - 1] {
            accumulate(&dInput, projection.backward(outputGradient, context: context), context: context)
        }
        for v in stride(from: n - 2, through: 1, by: -1) {
            let dValue = gradients[v] ?? Tensor(zeros: cachedVertexShapes[v])
            let dSum = vertexOps[v]!.backward(dValue, context: context)
            for src in interiorSources(v) {
                accumulate(&gradients[src], padChannels(dSum, to: channels[src], context: context), context: context)
            }
            if let projection = projections[v] {
                accumulate(&dInput, projection.backward(dSum, context: context), context: context)
            }
        }
        return dInput ?? Tensor(zeros: cachedVertexShapes[0])
    }

    /// Projections and vertex ops, in vertex order.
    public var parameters: [Parameter] {
        (1..<cell.vertexCount).flatMap { v in (projections[v]?.parameters ?? []) + (vertexOps[v]?.parameters ?? []) }
    }
}

/// Conv (no bias) → BN → ReLU with `same` padding, the benchmark's conv and projection op.
func convBNReLU(_ cin: Int, _ cout: Int, kernel: Int, name: String, generator: inout SplitMix64) -> Sequential {
    Sequential([
        Conv2d(inChannels: cin, outChannels: cout, kernelSize: kernel, padding: kernel / 2, name: name + ".conv", generator: &generator),
        BatchNorm2d(channels: cout, name: name + ".bn"),
        ReLU(),
    ])
}

/// Keeps the first `width` channels. x: [..., C] -> [..., width], width <= C.
func truncate(_ x: Tensor, to width: Int, context: ComputeContext) -> Tensor {
    x.shape.last == width ? x : splitChannels(x, sizes: [width], context: context)[0]
}

/// Backward of `truncate`: appends zero channels up to `width`. dy: [..., c] -> [..., width].
func padChannels(_ dy: Tensor, to width: Int, context: ComputeContext) -> Tensor {
    let c = dy.shape.last ?? 1
    guard c < width else { return dy }
    return concatenateChannels([dy, Tensor(zeros: Array(dy.shape.dropLast()) + [width - c])], context: context)
}
