/// Global average pooling. x: [N, H, W, C] -> y: [N, C] (mean over H*W per channel).
public func globalAvgPoolForward(_ x: Tensor, context: ComputeContext) -> Tensor {
    precondition(x.rank == 4, "globalAvgPool wants [N,H,W,C], got \(x.shape)")
    let (n, pixels, c) = (x.shape[0], x.shape[1] * x.shape[2], x.shape[3])
    let inv = 1 / Float(pixels)
    return Tensor(uninitializedShape: [n, c]) { y in
        x.withUnsafePointer { px in
            context.parallelRanges(n, minimumPerWorker: 1) { images in
                for b in images {
                    let out = y + b * c
                    out.update(repeating: 0, count: c)
                    for p in 0..<pixels { let src = px + (b * pixels + p) * c; for ch in 0..<c { out[ch] += src[ch] } }
                    for ch in 0..<c { out[ch] *= inv }
                }
            }
        }
    }
}

/// Backward of `globalAvgPoolForward`. dy: [N, C] -> dx: inputShape [N, H, W, C], dy / (H*W) broadcast.
public func globalAvgPoolBackward(outputGradient dy: Tensor, inputShape: [Int], context: ComputeContext) -> Tensor {
    precondition(inputShape.count == 4 && dy.shape == [inputShape[0], inputShape[3]], "globalAvgPool dy shape \(dy.shape)")
    let (n, pixels, c) = (inputShape[0], inputShape[1] * inputShape[2], inputShape[3])
    let inv = 1 / Float(pixels)
    return Tensor(uninitializedShape: inputShape) { dx in
        dy.withUnsafePointer { pdy in
            context.parallelRanges(n, minimumPerWorker: 1) { images in
                for b in images {
                    for p in 0..<pixels { let dst = dx + (b * pixels + p) * c; for ch in 0..<c { dst[ch] = pdy[b * c + ch] * inv } }
                }
            }
        }
    }
}

/// Naive reference for `globalAvgPoolForward`, summed in Double.
public func globalAvgPoolForwardReference(_ x: Tensor) -> Tensor {
    let (n, pixels, c) = (x.shape[0], x.shape[1] * x.shape[2], x.shape[3])
    var y = Tensor(zeros: [n, c])
    for b in 0..<n { for ch in 0..<c {
        var sum = 0.0
        for p in 0..<pixels { sum += Double(x.storage[(b * pixels + p) * c + ch]) }
        y.storage[b * c + ch] = Float(sum / Double(pixels))
    }}
    return y
}
