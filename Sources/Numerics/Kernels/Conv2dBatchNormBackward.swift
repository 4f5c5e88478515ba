/// Backward through a bias-free convolution followed by a training-mode batch norm (the
/// conv → BN of an NB201 edge or fused edge group): the batch norm's pass 1 over the whole batch,
/// then either the fused direct 3x3 backward that applies the batch norm's dx per image
/// (`conv2dDirect3x3BackwardThroughBatchNorm`) or, for other shapes, the batch-norm dx in place
/// followed by `conv2dBackward`. Both give the same bits; which runs depends on the shapes only.
///
/// x: [N, H, W, Cin], weight: [KH, KW, Cin, Cout] (stride 1), convOutput: the forward's
/// [N, OH, OW, Cout] before normalisation (consumed: overwritten with dConv on the unfused path,
/// so the caller must not read it afterwards), statistics: the forward's batch statistics,
/// blocks: dL/d(BN output) as consecutive channel blocks tiling Cout
/// -> dx, dw (no bias), dgamma, dbeta: [Cout]. `method` is passed to `conv2dBackward` on the
/// unfused path. With `rectifiesInput` the convolution's input was ReLU(x) (as in
/// `conv2dForwardWithBatchNormStatistics`): same bits as passing `reluForward(x)`, dx is dL/dReLU(x).
func conv2dBackwardThroughBatchNorm(_ x: Tensor, weight: Tensor, padding: Int, rectifiesInput: Bool = false,
                                    convOutput: inout Tensor,
                                    gamma: Tensor, statistics: BatchNormStatistics, outputGradientBlocks blocks: [Tensor],
                                    method: Conv2dBackwardMethod, context: ComputeContext)
    -> (convolution: Conv2dGradients, gamma: Tensor, beta: Tensor) {
    if usesDirect3x3BackwardThroughBatchNorm(input: x.shape, weight: weight.shape, stride: 1, padding: padding) {
        let map = batchNormBackwardCoefficients(convOutput, gamma: gamma, statistics: statistics,
                                                outputGradientBlocks: blocks, context: context)
        let g = conv2dDirect3x3BackwardThroughBatchNorm(x, weight: weight, rectifiesInput: rectifiesInput,
                                                        convOutput: convOutput,
                                                        outputGradientBlocks: blocks, map: map,
                                                        workspaceFloats: Conv2dGeometry.workspaceFloats, context: context)
        return (g, map.gamma, map.beta)
    }
    let bn = batchNormBackwardInPlace(&convOutput, gamma: gamma, statistics: statistics, outputGradientBlocks: blocks,
                                      context: context)
    let g = conv2dBackward(rectifiesInput ? reluForward(x, context: context) : x, weight: weight,
                           outputGradient: convOutput, stride: 1, padding: padding, method: method, context: context)
    return (g, bn.gamma, bn.beta)
}

/// Naive reference for `conv2dBackwardThroughBatchNorm` and `conv2dDirect3x3BackwardThroughBatchNorm`:
/// `batchNormBackwardReference` (statistics recomputed from convOutput in Double), then
/// `conv2dBackwardReference`. dy: [N, OH, OW, Cout] (the blocks concatenated) -> dx, dw, dgamma, dbeta.
public func conv2dBackwardThroughBatchNormReference(_ x: Tensor, weight: Tensor, padding: Int, convOutput: Tensor,
                                                    gamma: Tensor, outputGradient dy: Tensor, epsilon: Float = 1e-5)
    -> (input: Tensor, weight: Tensor, gamma: Tensor, beta: Tensor) {
    let bn = batchNormBackwardReference(convOutput, gamma: gamma, outputGradient: dy, epsilon: epsilon)
    let conv = conv2dBackwardReference(x, weight: weight, outputGradient: bn.input, stride: 1, padding: padding)
    return (conv.input, conv.weight, bn.gamma, bn.beta)
}
