/// ReLU forward. x: any shape -> y = max(x, 0), same shape.
public func reluForward(_ x: Tensor, context: ComputeContext) -> Tensor {
    Tensor(uninitializedShape: x.shape) { y in
        x.withUnsafePointer { px in
            context.parallelRanges(x.count) { range in
                for i in range { y[i] = px[i] > 0 ? px[i] : 0 }
            }
        }
    }
}

/// ReLU backward. x (the forward input), dy: same shape -> dx = dy where x > 0, else 0
/// (the subgradient at 0 is 0, as in PyTorch).
public func reluBackward(_ x: Tensor, outputGradient dy: Tensor, context: ComputeContext) -> Tensor {
    precondition(x.shape == dy.shape, "relu dy shape \(dy.shape) != x shape \(x.shape)")
    return Tensor(uninitializedShape: x.shape) { dx in
        x.withUnsafePointer { px in
            dy.withUnsafePointer { pdy in
                context.parallelRanges(x.count) { range in
                    // Both loads are unconditional so the select compiles branch-free and
                    // vectorises; a conditional load of dy mispredicts on half the elements
                    // (measured 25x slower, docs/numerics.md).
                    for i in range {
                        let (v, g) = (px[i], pdy[i])
                        dx[i] = v > 0 ? g : 0
                    }
                }
            }
        }
    }
}

/// Naive reference for `reluForward`.
public func reluForwardReference(_ x: Tensor) -> Tensor {
    Tensor(shape: x.shape, storage: x.storage.map { Swift.max($0, 0) })
}

/// Naive reference for `reluBackward`.
public func reluBackwardReference(_ x: Tensor, outputGradient dy: Tensor) -> Tensor {
    Tensor(shape: x.shape, storage: zip(x.storage, dy.storage).map { $0 > 0 ? $1 : 0 })
}

/// Element-wise sum. a, b: same shape -> a + b. Its backward is the identity to both inputs,
/// which is why DAG models only need `addInPlace` to accumulate gradients at a fan-out.
public func add(_ a: Tensor, _ b: Tensor, context: ComputeContext) -> Tensor {
    precondition(a.shape == b.shape, "add shapes \(a.shape) and \(b.shape)")
    return Tensor(uninitializedShape: a.shape) { y in
        a.withUnsafePointer { pa in
            b.withUnsafePointer { pb in
                context.parallelRanges(a.count) { range in
                    for i in range { y[i] = pa[i] + pb[i] }
                }
            }
        }
    }
}

/// In-place accumulation a += b (same shape); the gradient-accumulation primitive.
public func addInPlace(_ a: inout Tensor, _ b: Tensor, context: ComputeContext) {
    precondition(a.shape == b.shape, "addInPlace shapes \(a.shape) and \(b.shape)")
    let count = a.count
    b.withUnsafePointer { pb in
        a.withUnsafeMutablePointer { pa in
            context.parallelRanges(count) { range in
                for i in range { pa[i] += pb[i] }
            }
        }
    }
}

/// Naive reference for `add`.
public func addReference(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor(shape: a.shape, storage: zip(a.storage, b.storage).map { $0 + $1 })
}

/// Accumulates `gradient` into an optional running sum: the first contribution is stored as is
/// (no copy thanks to copy-on-write), later ones are added. Used where a node feeds several edges.
public func accumulate(_ sum: inout Tensor?, _ gradient: Tensor, context: ComputeContext) {
    if sum == nil { sum = gradient } else { addInPlace(&sum!, gradient, context: context) }
}
