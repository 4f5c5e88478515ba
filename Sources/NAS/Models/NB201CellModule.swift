import Numerics

/// One NAS-Bench-201 cell as a layer: node 0 is the input, node j (1…3) is the sum of the
/// edge ops i→j (i < j), node 3 is the output; input and output have the same shape.
///
/// The DAG is written out explicitly: forward walks the nodes in order; backward walks them in
/// reverse, so when node j is visited every consumer (all have larger indices) has already added
/// its contribution to dL/dnode_j. `none` edges have no layer and are skipped in both directions.
/// A node without live incoming edges is an exact zero tensor (it still feeds later edges, whose
/// BN then outputs its shift, exactly as the benchmark's network computes). Conv edges share one
/// ReLU(node) per source node (see `nb201EdgeLayer`); only those activations are kept for the
/// backward pass, not the pre-activation nodes (ReLU's gradient mask is `ReLU(x) > 0`).
public final class NB201CellModule: Layer {
    /// The cell this module implements.
    public let cell: NB201Cell
    /// Layer per edge slot (order of `NB201Cell.edges`), nil for `none`.
    let edgeLayers: [(any Layer)?]
    /// Per edge slot: whether the layer reads ReLU(source) (conv edges).
    let usesReLU: [Bool]
    /// ReLU(node) of the last forward, for nodes feeding a conv edge.
    private var activations: [Tensor?] = []

    /// A cell with `channels` channels on every node, initialised from `generator`.
    public init(cell: NB201Cell, channels: Int, name: String = "cell", generator: inout SplitMix64) {
        self.cell = cell
        var layers: [(any Layer)?] = [], relu: [Bool] = []
        for (slot, edge) in NB201Cell.edges.enumerated() {
            let made = nb201EdgeLayer(cell.ops[slot], channels: channels, name: "\(name).edge\(edge.from)\(edge.to)",
                                      generator: &generator)
            layers.append(made.layer)
            relu.append(made.usesReLU)
        }
        edgeLayers = layers
        usesReLU = relu
    }

    /// x: [N, H, W, C] -> [N, H, W, C].
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        var nodes: [Tensor] = [input]
        activations = [Tensor?](repeating: nil, count: NB201Cell.nodeCount)
        for node in 1..<NB201Cell.nodeCount {
            var sum: Tensor?
            for (slot, edge) in NB201Cell.edges.enumerated() where edge.to == node {
                guard let layer = edgeLayers[slot] else { continue }
                var x = nodes[edge.from]
                if usesReLU[slot] {
                    if activations[edge.from] == nil { activations[edge.from] = reluForward(x, context: context) }
                    x = activations[edge.from]!
                }
                let y = layer.forward(x, training: training, context: context)
                if sum == nil { sum = y } else { addInPlace(&sum!, y, context: context) }
            }
            nodes.append(sum ?? Tensor(zeros: input.shape))
        }
        return nodes[NB201Cell.nodeCount - 1]
    }

    /// Back-propagates through the live edges in reverse node order; returns dL/dinput
    /// (zeros when no path reaches the output).
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        var gradients = [Tensor?](repeating: nil, count: NB201Cell.nodeCount)
        var activationGradients = [Tensor?](repeating: nil, count: NB201Cell.nodeCount)
        gradients[NB201Cell.nodeCount - 1] = outputGradient
        func foldReLU(_ node: Int) {
            guard let dA = activationGradients[node], let a = activations[node] else { return }
            accumulate(&gradients[node], reluBackward(a, outputGradient: dA, context: context), context: context)
        }
        for node in stride(from: NB201Cell.nodeCount - 1, through: 1, by: -1) {
            foldReLU(node)  // all consumers of node (larger indices) are done
            guard let dNode = gradients[node] else { continue }
            for (slot, edge) in NB201Cell.edges.enumerated() where edge.to == node {
                guard let layer = edgeLayers[slot] else { continue }
                let g = layer.backward(dNode, context: context)
                if usesReLU[slot] {
                    accumulate(&activationGradients[edge.from], g, context: context)
                } else {
                    accumulate(&gradients[edge.from], g, context: context)
                }
            }
        }
        foldReLU(0)
        return gradients[0] ?? Tensor(zeros: outputGradient.shape)
    }

    /// Parameters of the edges in slot order.
    public var parameters: [Parameter] { edgeLayers.flatMap { $0?.parameters ?? [] } }
}
