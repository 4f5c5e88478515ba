/// Fully connected layer: x: [N, In], weight: [Out, In] (PyTorch layout), bias: [Out]? -> y: [N, Out],
/// y = x * weight^T + bias. One GEMM on the calling thread (heads are small).
public func linearForward(_ x: Tensor, weight: Tensor, bias: Tensor?, context: ComputeContext) -> Tensor {
    precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1], "linear shapes \(x.shape), \(weight.shape)")
    let (n, inF, outF) = (x.shape[0], x.shape[1], weight.shape[0])
    BLASThreads.useSingleThread()
    return Tensor(uninitializedShape: [n, outF]) { y in
        var beta: Float = 0
        if let bias {
            precondition(bias.shape == [outF], "linear bias shape \(bias.shape)")
            bias.withUnsafePointer { pb in for r in 0..<n { (y + r * outF).update(from: pb, count: outF) } }
            beta = 1
        }
        x.withUnsafePointer { px in
            weight.withUnsafePointer { pw in
                sgemm(transposeA: false, transposeB: true, m: n, n: outF, k: inF, a: px, lda: inF, b: pw, ldb: inF,
                      beta: beta, c: y, ldc: outF)
            }
        }
    }
}

/// Backward of `linearForward`. x: [N, In], weight: [Out, In], dy: [N, Out] ->
/// dx = dy * weight: [N, In], dw = dy^T * x: [Out, In], db = column sums of dy: [Out].
public func linearBackward(_ x: Tensor, weight: Tensor, outputGradient dy: Tensor,
                           context: ComputeContext) -> (input: Tensor, weight: Tensor, bias: Tensor) {
    let (n, inF, outF) = (x.shape[0], x.shape[1], weight.shape[0])
    precondition(dy.shape == [n, outF], "linear dy shape \(dy.shape)")
    BLASThreads.useSingleThread()
    let dx = Tensor(uninitializedShape: [n, inF]) { dx in
        dy.withUnsafePointer { pdy in weight.withUnsafePointer { pw in
            sgemm(transposeA: false, transposeB: false, m: n, n: inF, k: outF, a: pdy, lda: outF, b: pw, ldb: inF,
                  beta: 0, c: dx, ldc: inF)
        }}
    }
    let dw = Tensor(uninitializedShape: [outF, inF]) { dw in
        dy.withUnsafePointer { pdy in x.withUnsafePointer { px in
            sgemm(transposeA: true, transposeB: false, m: outF, n: inF, k: n, a: pdy, lda: outF, b: px, ldb: inF,
                  beta: 0, c: dw, ldc: inF)
        }}
    }
    var db = [Float](repeating: 0, count: outF)
    for r in 0..<n { for o in 0..<outF { db[o] += dy.storage[r * outF + o] } }
    return (dx, dw, Tensor(shape: [outF], storage: db))
}

/// Naive reference for `linearForward`, accumulated in Double.
public func linearForwardReference(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    let (n, inF, outF) = (x.shape[0], x.shape[1], weight.shape[0])
    var y = Tensor(zeros: [n, outF])
    for r in 0..<n { for o in 0..<outF {
        var sum = Double(bias?.storage[o] ?? 0)
        for i in 0..<inF { sum += Double(x.storage[r * inF + i]) * Double(weight.storage[o * inF + i]) }
        y.storage[r * outF + o] = Float(sum)
    }}
    return y
}

/// Naive reference for `linearBackward`, accumulated in Double.
public func linearBackwardReference(_ x: Tensor, weight: Tensor, outputGradient dy: Tensor) -> (input: Tensor, weight: Tensor, bias: Tensor) {
    let (n, inF, outF) = (x.shape[0], x.shape[1], weight.shape[0])
    var dx = [Double](repeating: 0, count: n * inF), dw = [Double](repeating: 0, count: outF * inF)
    var db = [Double](repeating: 0, count: outF)
    for r in 0..<n { for o in 0..<outF {
        let d = Double(dy.storage[r * outF + o])
        db[o] += d
        for i in 0..<inF {
            dx[r * inF + i] += d * Double(weight.storage[o * inF + i])
            dw[o * inF + i] += d * Double(x.storage[r * inF + i])
        }
    }}
    return (Tensor(shape: [n, inF], storage: dx.map(Float.init)), Tensor(shape: [outF, inF], storage: dw.map(Float.init)),
            Tensor(shape: [outF], storage: db.map(Float.init)))
}
