/// One step of a frozen feed-forward network run by `sequentialInference`.
public enum InferenceStep: Sendable {
    /// Stride-1 convolution with zero `padding`, bias, then ReLU if `relu`.
    /// [N, H, W, Cin] -> [N, OH, OW, Cout]; weight [KH, KW, Cin, Cout] (HWIO), bias [Cout].
    /// A batch norm in evaluation mode folds into weight and bias.
    case convolution(weight: Tensor, bias: Tensor, padding: Int, relu: Bool)
    /// Fully connected layer on the flattened (NHWC order) activation, bias, then ReLU if `relu`.
    /// [N, In] -> [N, Out]; weight [Out, In] (PyTorch layout), bias [Out].
    case dense(weight: Tensor, bias: Tensor, relu: Bool)
}

/// Inference through a stack of `InferenceStep`s, for scoring many small inputs.
/// x: [N, H, W, C] -> y: [N, F], F the last step's output width.
///
/// Why a separate kernel: the layer-by-layer path allocates every activation of the whole
/// batch (tens of MB for a few thousand 7×7 inputs), so it streams through memory and pays
/// page faults, and it parallelises inside each small GEMM. Here the batch is cut into
/// micro-batches of `microBatch` inputs (the cut depends on N and `microBatch` only, so the
/// result does not depend on the thread count); each worker keeps its own buffers, sized once,
/// and runs a micro-batch through *all* steps while it is cache-resident (one im2col + GEMM
/// per convolution, one GEMM per dense layer, each on one OpenBLAS thread).
public func sequentialInference(_ x: Tensor, steps: [InferenceStep], microBatch: Int = 32,
                                context: ComputeContext) -> Tensor {
    sequentialInference(x, steps: steps, microBatch: microBatch, transposedConvolutionGEMM: false, context: context)
}

/// `sequentialInference` with the convolution GEMM's orientation chosen (benchmarks compare
/// the two): false computes out [rows, Cout] = cols · w directly; true computes
/// out^T [Cout, rows] = w^T · cols^T and transposes back, as `conv2dForward` does.
func sequentialInference(_ x: Tensor, steps: [InferenceStep], microBatch: Int, transposedConvolutionGEMM: Bool,
                         context: ComputeContext) -> Tensor {
    precondition(x.rank == 4, "sequentialInference wants x [N, H, W, C], got \(x.shape)")
    precondition(microBatch >= 1, "sequentialInference microBatch \(microBatch)")
    let plan = InferencePlan(sampleShape: Array(x.shape.dropFirst()), steps: steps)
    let n = x.shape[0], outWidth = plan.sizes.last!
    let pieces = (n + microBatch - 1) / microBatch
    return Tensor(uninitializedShape: [n, outWidth]) { y in
        x.withUnsafePointer { px in
            context.forEachWorker(pieces: pieces) { worker in
                let activation = microBatch * plan.sizes.max()!
                let ping = UnsafeMutablePointer<Float>.allocate(capacity: activation)
                let pong = UnsafeMutablePointer<Float>.allocate(capacity: activation)
                let cols = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, microBatch * plan.workspacePerSample))
                let transposed = UnsafeMutablePointer<Float>.allocate(capacity: transposedConvolutionGEMM ? activation : 1)
                defer { ping.deallocate(); pong.deallocate(); cols.deallocate(); transposed.deallocate() }
                var piece = worker
                while piece < pieces {
                    let first = piece * microBatch, count = Swift.min(n, first + microBatch) - first
                    var source = UnsafePointer(px + first * plan.sizes[0])
                    for (index, step) in steps.enumerated() {
                        let last = index == steps.count - 1
                        let target = last ? y + first * outWidth : (index % 2 == 0 ? ping : pong)
                        plan.run(step, index: index, count: count, source: source, target: target, cols: cols,
                                 transposed: transposedConvolutionGEMM ? transposed : nil)
                        source = UnsafePointer(target)
                    }
                    piece += Swift.min(context.threads, pieces)
                }
            }
        }
    }
}

/// Per-sample shapes of every step of a `sequentialInference` call, checked once.
struct InferencePlan {
    /// Per-sample activation size before step 0, after step 0, …
    var sizes: [Int] = []
    /// Convolution geometry of each step for one sample (nil for dense steps).
    var geometries: [Conv2dGeometry?] = []
    /// im2col floats per sample for the largest convolution.
    var workspacePerSample = 0

    init(sampleShape: [Int], steps: [InferenceStep]) {
        precondition(!steps.isEmpty, "sequentialInference needs at least one step")
        var shape = sampleShape  // [H, W, C] before the first dense step, then [F]
        sizes.append(shape.reduce(1, *))
        for step in steps {
            switch step {
            case let .convolution(weight, bias, padding, _):
                precondition(shape.count == 3, "convolution step after a dense step")
                let g = Conv2dGeometry(input: [1] + shape, weight: weight.shape, stride: 1, padding: padding)
                precondition(bias.shape == [g.outChannels], "convolution bias \(bias.shape) for \(g.outChannels) channels")
                geometries.append(g)
                workspacePerSample = Swift.max(workspacePerSample, g.rowsPerImage * Swift.max(g.patchSize, g.outChannels))
                shape = [g.outHeight, g.outWidth, g.outChannels]
            case let .dense(weight, bias, _):
                let inFeatures = shape.reduce(1, *)
                precondition(weight.rank == 2 && weight.shape[1] == inFeatures && bias.shape == [weight.shape[0]],
                             "dense step weight \(weight.shape), bias \(bias.shape) on \(inFeatures) features")
                geometries.append(nil)
                shape = [weight.shape[0]]
            }
            sizes.append(shape.reduce(1, *))
        }
    }

    /// Runs step `index` on `count` samples: source [count, sizes[index]] -> target [count, sizes[index + 1]].
    /// With `transposed` (a [rows, Cout] scratch buffer) convolutions use the transposed GEMM.
    func run(_ step: InferenceStep, index: Int, count: Int, source: UnsafePointer<Float>,
             target: UnsafeMutablePointer<Float>, cols: UnsafeMutablePointer<Float>,
             transposed: UnsafeMutablePointer<Float>? = nil) {
        switch step {
        case let .convolution(weight, bias, padding, relu):
            let one = geometries[index]!
            let g = Conv2dGeometry(input: [count, one.height, one.width, one.inChannels], weight: weight.shape,
                                   stride: 1, padding: padding)
            let rows = count * g.rowsPerImage
            let a: UnsafePointer<Float>
            if g.isPointwise { a = source } else {
                im2colNHWC(source, g, images: 0..<count, cols: cols)
                a = UnsafePointer(cols)
            }
            weight.withUnsafePointer { pw in
                if let transposed {
                    // target^T [Cout, rows] = w^T [Cout, patch] * cols^T [patch, rows]
                    sgemm(transposeA: true, transposeB: true, m: g.outChannels, n: rows, k: g.patchSize,
                          a: pw, lda: g.outChannels, b: a, ldb: g.patchSize, beta: 0, c: transposed, ldc: rows)
                    transposeTiled(transposed, rows: rows, columns: g.outChannels, into: target)
                } else {
                    // target [rows, Cout] = cols [rows, patch] * w [patch, Cout]
                    sgemm(transposeA: false, transposeB: false, m: rows, n: g.outChannels, k: g.patchSize,
                          a: a, lda: g.patchSize, b: pw, ldb: g.outChannels, beta: 0, c: target, ldc: g.outChannels)
                }
            }
            addBias(bias, rows: rows, width: g.outChannels, relu: relu, target)
        case let .dense(weight, bias, relu):
            let (outF, inF) = (weight.shape[0], weight.shape[1])
            // target [count, Out] = source [count, In] * w^T [In, Out]
            weight.withUnsafePointer { pw in
                sgemm(transposeA: false, transposeB: true, m: count, n: outF, k: inF, a: source, lda: inF,
                      b: pw, ldb: inF, beta: 0, c: target, ldc: outF)
            }
            addBias(bias, rows: count, width: outF, relu: relu, target)
        }
    }

    /// target[r, c] += bias[c], then max(0, ·) when `relu`.
    private func addBias(_ bias: Tensor, rows: Int, width: Int, relu: Bool, _ target: UnsafeMutablePointer<Float>) {
        bias.withUnsafePointer { pb in
            for r in 0..<rows {
                let row = target + r * width
                if relu {
                    for c in 0..<width { row[c] = Swift.max(0, row[c] + pb[c]) }
                } else {
                    for c in 0..<width { row[c] += pb[c] }
                }
            }
        }
    }
}

/// Naive reference of `sequentialInference`, kept for tests: `conv2dForwardReference` and
/// `linearForwardReference` (Double accumulation) with ReLU, one step at a time on the whole batch.
public func sequentialInferenceReference(_ x: Tensor, steps: [InferenceStep]) -> Tensor {
    var h = x
    for step in steps {
        switch step {
        case let .convolution(weight, bias, padding, relu):
            h = conv2dForwardReference(h, weight: weight, bias: bias, stride: 1, padding: padding)
            if relu { h = reluForwardReference(h) }
        case let .dense(weight, bias, relu):
            h = linearForwardReference(h.reshaped([h.shape[0], h.count / h.shape[0]]), weight: weight, bias: bias)
            if relu { h = reluForwardReference(h) }
        }
    }
    return h.reshaped([h.shape[0], h.count / h.shape[0]])
}

/// src [columns, rows] -> dst [rows, columns], in 64-row tiles so the strided reads stay in L1.
/// (The training convolution no longer transposes its GEMM result, so this lives here, beside
/// the one kernel that still offers the transposed orientation.)
private func transposeTiled(_ src: UnsafePointer<Float>, rows: Int, columns: Int, into dst: UnsafeMutablePointer<Float>) {
    let block = 64
    var r0 = 0
    while r0 < rows {
        let r1 = Swift.min(rows, r0 + block)
        for c in 0..<columns {
            let column = src + c * rows
            for r in r0..<r1 { dst[r * columns + c] = column[r] }
        }
        r0 = r1
    }
}
