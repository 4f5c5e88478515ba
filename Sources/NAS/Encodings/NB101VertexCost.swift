extension NB101Cell {
    /// Multiply-accumulates of one cell attributed to its vertices, so that
    /// the sum equals `flops(inputChannels:outputChannels:size:)`.
    ///
    /// An interior vertex carries its own conv plus the 1×1 projection from
    /// the cell input when input→vertex is an edge (the projection exists only
    /// to feed that vertex); the output carries the input→output projection;
    /// the input vertex carries nothing.
    public func vertexFlops(inputChannels: Int, outputChannels: Int, size: Int) -> [Int] {
        vertexCosts(inputChannels: inputChannels, outputChannels: outputChannels).map { $0.macsPerPixel * size * size }
    }

    /// Trainable parameters of one cell attributed to its vertices (same rule as
    /// `vertexFlops`); the sum equals `parameterCount(inputChannels:outputChannels:)`.
    public func vertexParameters(inputChannels: Int, outputChannels: Int) -> [Int] {
        vertexCosts(inputChannels: inputChannels, outputChannels: outputChannels).map(\.parameters)
    }

    /// Per-vertex (MACs per output pixel, parameters).
    func vertexCosts(inputChannels: Int, outputChannels: Int) -> [(macsPerPixel: Int, parameters: Int)] {
        let channels = vertexChannels(inputChannels: inputChannels, outputChannels: outputChannels)
        let n = vertexCount
        var costs = [(macsPerPixel: Int, parameters: Int)](repeating: (0, 0), count: n)
        for v in 1..<(n - 1) {
            let c = channels[v], k = Self.kernelArea(ops[v])
            var macs = k * c * c, params = k * c * c + (k > 0 ? 2 * c : 0)
            if hasEdge(from: 0, to: v) {
                macs += inputChannels * c
                params += inputChannels * c + 2 * c
            }
            costs[v] = (macs, params)
        }
        if hasEdge(from: 0, to: n - 1) {
            costs[n - 1] = (inputChannels * outputChannels, inputChannels * outputChannels + 2 * outputChannels)
        }
        return costs
    }

    /// Slot of each vertex in a 7-vertex layout: vertices keep their index
    /// except the output, which always goes to slot 6, so zero padding sits
    /// just before the output row and column (ReNAS's convention).
    public var paddedSlots: [Int] {
        (0..<vertexCount).map { $0 == vertexCount - 1 ? NB101Cell.maxVertices - 1 : $0 }
    }
}
