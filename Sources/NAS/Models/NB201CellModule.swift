import Numerics

/// One NAS-Bench-201 cell as a layer: node 0 is the input, node j (1…3) is the sum of the
/// edge ops i→j (i < j), node 3 is the output; input and output have the same shape.
///
/// The DAG is written out explicitly and walked by source node: forward, once node i is complete
/// every edge leaving it runs and adds into its destination's sum (destinations are larger, so
/// node i+1 is then complete); backward walks the sources in reverse, so when source i is
/// visited every node it feeds has its full gradient. `none` edges have no layer and are skipped
/// in both directions. A node without live incoming edges is an exact zero tensor (it still
/// feeds later edges, whose BN then outputs its shift, exactly as the benchmark's network
/// computes).
///
/// Conv edges (ReLU → conv → BN) share one ReLU(node) per source node, and the conv edges of
/// one kernel size leaving one node run as one `FusedConvBatchNormBranches`: node 0's three
/// 3x3 edges of the all-conv cell are one convolution with 3C outputs whose channel blocks go to
/// nodes 1, 2 and 3 (see docs/numerics.md, "Fused convolution edges"). Where a group's kernels
/// can apply the ReLU as they load the node (`FusedConvBatchNormBranches.rectifiesOnLoad`: the
/// direct 3x3 paths) no ReLU(node) tensor is made at all (docs/numerics.md, "Session 8"). For the
/// backward pass each such node keeps one tensor whose positive entries mark where the node is
/// positive, ReLU's gradient mask (`x > 0` exactly where `ReLU(x) > 0`): ReLU(node) where it
/// was made, else the node itself.
public final class NB201CellModule: Layer {
    /// The cell this module implements.
    public let cell: NB201Cell
    /// Layers per edge slot (order of `NB201Cell.edges`).
    let edges: [NB201EdgeLayer]
    /// Conv edges fused by (source node, kernel size), ordered by source node, then first slot.
    let groups: [ConvolutionGroup]
    /// Per fused group, its edges as groups of one (the same layers), for inputs too large to fuse.
    let singles: [[ConvolutionGroup]]
    /// The groups the last forward ran (backward must walk the same ones).
    private var activeGroups: [ConvolutionGroup] = []
    /// Per node feeding a conv edge in the last forward: ReLU(node) where it was made, else the
    /// node (both are ReLU's gradient mask: positive exactly where the node is).
    private var masks: [Tensor?] = []

    /// Fused convolution outputs of this many bytes or more run as single edges instead.
    ///
    /// Why a limit: `AllocatorTuning` sets glibc's mmap threshold to 32 MiB, and glibc serves
    /// a request whose size plus its chunk header reaches it with fresh pages every time, so a
    /// fused output (and its gradient) of 32 MiB or more costs page faults on every step and
    /// bypasses the reusable heap. Config (a) (batch 256, 32x32, C = 16) has 16 MiB per branch
    /// at stage 1, so its 2- and 3-branch groups (32 and 48 MiB) were mmapped: 1.85 M minor page
    /// faults per 3-epoch run against 0.70-0.76 M unfused, 11 % slower idle and peak RSS 2,044
    /// against 1,694 MiB (docs/benchmarks.md, "Training", sessions 3 and 4). An output of exactly
    /// 32 MiB is already mmapped, hence the strict comparison in `groups(for:)`. Below the limit
    /// ((a) stages 2 and 3, every group of (b) and (c): at most 24 MiB) fusion runs as designed.
    /// The choice depends on shapes only, and the arithmetic is the same either way.
    static let fusedOutputLimit = AllocatorTuning.mmapThresholdBytes
    /// `fusedOutputLimit` for this module; tests lower it to exercise the split path.
    var fusedOutputLimit = NB201CellModule.fusedOutputLimit

    /// Conv edges leaving one node with one kernel size, run as one fused layer.
    struct ConvolutionGroup {
        /// The node all edges of the group read.
        let source: Int
        /// Destination node of each branch, in branch (= slot) order.
        let destinations: [Int]
        /// The fused convolution and batch norm.
        let layer: FusedConvBatchNormBranches
    }

    /// A cell with `channels` channels on every node, initialised from `generator`.
    public convenience init(cell: NB201Cell, channels: Int, name: String = "cell", generator: inout SplitMix64) {
        self.init(cell: cell, channels: channels, name: name, fusesConvolutionEdges: true, generator: &generator)
    }

    /// With `fusesConvolutionEdges` false every conv edge is its own group of one: the unfused
    /// computation, which tests compare the fused one against. Weights are drawn in slot order
    /// either way, so both versions start from the same network for a given generator state.
    init(cell: NB201Cell, channels: Int, name: String, fusesConvolutionEdges: Bool, generator: inout SplitMix64) {
        self.cell = cell
        var layers: [NB201EdgeLayer] = []
        for (slot, edge) in NB201Cell.edges.enumerated() {
            layers.append(nb201EdgeLayer(cell.ops[slot], channels: channels, name: "\(name).edge\(edge.from)\(edge.to)",
                                         generator: &generator))
        }
        edges = layers
        // Slots of conv edges keyed by (source, kernel), in slot order.
        var keys: [[Int]] = [], members: [[Int]] = []
        for (slot, edge) in NB201Cell.edges.enumerated() {
            guard case .convolution(_, _, let kernel) = layers[slot] else { continue }
            let key = [edge.from, kernel]
            if fusesConvolutionEdges, let at = keys.firstIndex(of: key) {
                members[at].append(slot)
            } else {
                keys.append(key)
                members.append([slot])
            }
        }
        let unordered = zip(keys, members).map { key, slots in
            let branches = slots.map { slot -> (convolution: Conv2d, batchNorm: BatchNorm2d) in
                guard case .convolution(let conv, let bn, _) = layers[slot] else { preconditionFailure("not a conv edge") }
                return (conv, bn)
            }
            return ConvolutionGroup(source: key[0], destinations: slots.map { NB201Cell.edges[$0].to },
                                    layer: FusedConvBatchNormBranches(branches: branches))
        }
        groups = (0..<NB201Cell.nodeCount).flatMap { source in unordered.filter { $0.source == source } }
        singles = groups.map { group in
            guard group.destinations.count > 1 else { return [group] }
            return zip(group.layer.convolutions, group.layer.batchNorms).enumerated().map { branch, layers in
                ConvolutionGroup(source: group.source, destinations: [group.destinations[branch]],
                                 layer: FusedConvBatchNormBranches(branches: [(layers.0, layers.1)]))
            }
        }
    }

    /// The groups to run on `input` ([N, H, W, C]): fused where the fused output stays below
    /// `fusedOutputLimit` bytes, else the group's edges one by one.
    func groups(for input: Tensor) -> [ConvolutionGroup] {
        let positions = input.shape.dropLast().reduce(1, *)
        return zip(groups, singles).flatMap { group, split in
            positions * group.layer.channelCounts.reduce(0, +) * MemoryLayout<Float>.size
                < fusedOutputLimit ? [group] : split
        }
    }

    /// x: [N, H, W, C] -> [N, H, W, C].
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        let count = NB201Cell.nodeCount
        var nodes: [Tensor] = [input]
        var sums = [Tensor?](repeating: nil, count: count)
        var activations = [Tensor?](repeating: nil, count: count)   // ReLU(node), where made
        masks = [Tensor?](repeating: nil, count: count)
        activeGroups = groups(for: input)
        // Conv groups that apply the ReLU on load (shapes only: every node has the input's shape).
        let onLoad = activeGroups.map { $0.layer.rectifiesOnLoad(inputShape: input.shape) }
        for source in 0..<(count - 1) {
            let x = nodes[source]   // complete: every edge into it has run
            // Edge source→next is the last contribution into node `next` (later sources only feed
            // later nodes). When it is a plain edge (pool, skip) and node `next` feeds a conv edge
            // that needs ReLU(node next) as a tensor, the addition also writes it, saving a pass
            // over the node. (The same fusion into a conv edge's `accumulateChannelSlice` measured
            // no faster and is not used: docs/numerics.md, "Session 7".)
            let next = source + 1
            let rectifiesNext = zip(activeGroups, onLoad).contains { $0.source == next && !$1 }
            for (group, rectifiesOnLoad) in zip(activeGroups, onLoad) where group.source == source {
                let input: Tensor
                if rectifiesOnLoad {
                    input = x
                } else {
                    if activations[source] == nil { activations[source] = reluForward(x, context: context) }
                    input = activations[source]!
                }
                // The BN's affine map is applied while each branch's block is added into its node.
                let (y, affine) = group.layer.forwardBeforeNormalisation(input, rectifyingInput: rectifiesOnLoad,
                                                                          training: training, context: context)
                for (branch, destination) in group.destinations.enumerated() {
                    accumulateChannelSlice(&sums[destination], from: y, offset: group.layer.channelOffsets[branch],
                                           width: group.layer.channelCounts[branch], affine: affine, context: context)
                }
            }
            if activeGroups.contains(where: { $0.source == source }) {
                // The conv edges' backward needs ReLU's mask of node `source`: ReLU(node) if it was made, else the node.
                masks[source] = activations[source] ?? x
            }
            for (slot, edge) in NB201Cell.edges.enumerated() where edge.from == source {
                guard case .plain(let layer) = edges[slot] else { continue }
                let output = layer.forward(x, training: training, context: context)
                if rectifiesNext && edge.to == next {
                    activations[next] = accumulateAndReLU(&sums[edge.to], output, context: context)
                } else {
                    accumulate(&sums[edge.to], output, context: context)
                }
            }
            nodes.append(sums[next] ?? Tensor(zeros: input.shape))
        }
        return nodes[count - 1]
    }

    /// Back-propagates through the live edges in reverse source order; returns dL/dinput
    /// (zeros when no path reaches the output).
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        let count = NB201Cell.nodeCount
        var gradients = [Tensor?](repeating: nil, count: count)
        gradients[count - 1] = outputGradient
        for source in stride(from: count - 2, through: 0, by: -1) {
            // Every node after `source` has received all its consumers' gradients.
            for (slot, edge) in NB201Cell.edges.enumerated() where edge.from == source {
                guard case .plain(let layer) = edges[slot], let dy = gradients[edge.to] else { continue }
                accumulate(&gradients[source], layer.backward(dy, context: context), context: context)
            }
            var activationGradient: Tensor?
            for group in activeGroups where group.source == source {
                let parts = group.destinations.map { gradients[$0] }
                // A destination without gradient (no path to the output) contributes exact zeros,
                // as the unfused cell, which skips that edge, leaves its parameter gradients.
                guard parts.contains(where: { $0 != nil }) else { continue }
                let blocks = parts.map { $0 ?? Tensor(zeros: outputGradient.shape) }   // read in place, not concatenated
                accumulate(&activationGradient, group.layer.backward(outputGradientBlocks: blocks, context: context),
                           context: context)
            }
            // ReLU backward and the accumulation into the node's gradient in one pass (in place
            // of dA when the node has no other gradient yet).
            if var dA = activationGradient.take(), let mask = masks[source] {
                accumulateReLUBackward(&gradients[source], activation: mask, outputGradient: &dA, context: context)
            }
            masks[source] = nil   // consumed: its memory serves the remaining backward temporaries
        }
        return gradients[0] ?? Tensor(zeros: outputGradient.shape)
    }

    /// Parameters of the edges in slot order (conv weight, BN weight, BN bias per conv edge).
    public var parameters: [Parameter] { edges.flatMap(\.parameters) }
}
