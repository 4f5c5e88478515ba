/// ReLU fused with the accumulation of an NB201 node (forward) or of a node's gradient
/// (backward): one pass over memory where `accumulate` + `reluForward`, or `reluBackward` +
/// `accumulate`, take two and a temporary.
///
/// Why: in a cell every node that feeds a convolution edge is read once more for ReLU(node), and
/// its ReLU gradient is written to a temporary only to be added into the node's gradient; at
/// config (c) each of those passes streams a 6.4 MiB activation (docs/numerics.md, "Session 7").
/// Each result rounds exactly as the unfused pair does (same operations, same order), so the
/// fusion changes no bit of a training run.

/// sum (+)= addend, then returns ReLU(sum). sum: [...] or nil (then it becomes `addend`),
/// addend: sum's shape -> ReLU(sum), the shape; identical to `accumulate` then `reluForward`.
public func accumulateAndReLU(_ sum: inout Tensor?, _ addend: Tensor, context: ComputeContext) -> Tensor {
    guard sum != nil else {
        sum = addend
        return reluForward(addend, context: context)
    }
    precondition(sum!.shape == addend.shape, "accumulateAndReLU shapes \(sum!.shape) and \(addend.shape)")
    let count = addend.count
    return Tensor(uninitializedShape: addend.shape) { relu in
        addend.withUnsafePointer { pb in
            sum!.withUnsafeMutablePointer { pa in
                context.parallelRanges(count) { range in
                    for i in range {
                        let v = pa[i] + pb[i]
                        pa[i] = v
                        relu[i] = v > 0 ? v : 0
                    }
                }
            }
        }
    }
}

/// sum (+)= ReLU backward of `outputGradient` at `activation`: sum: [...] or nil, activation a,
/// outputGradient dA: sum's shape -> sum[i] (+)= (a[i] > 0 ? dA[i] : 0); identical to
/// `accumulate(&sum, reluBackward(a, outputGradient: dA))`. The gradient is the forward's ReLU
/// output (ReLU(x) > 0 exactly where x > 0). `outputGradient` is taken `inout` so that, when
/// there is no sum yet, the mask is applied in place of the caller's (then unique) buffer
/// instead of a fresh tensor; it is left holding that result.
public func accumulateReLUBackward(_ sum: inout Tensor?, activation a: Tensor, outputGradient dA: inout Tensor,
                                   context: ComputeContext) {
    precondition(a.shape == dA.shape, "relu dA shape \(dA.shape) != activation shape \(a.shape)")
    let count = a.count
    guard sum != nil else {
        a.withUnsafePointer { pa in
            dA.withUnsafeMutablePointer { pd in
                context.parallelRanges(count) { range in
                    // Unconditional loads: branch-free select, as in `reluBackward`.
                    for i in range { let (v, g) = (pa[i], pd[i]); pd[i] = v > 0 ? g : 0 }
                }
            }
        }
        sum = dA
        return
    }
    precondition(sum!.shape == a.shape, "accumulateReLUBackward sum shape \(sum!.shape) != \(a.shape)")
    a.withUnsafePointer { pa in
        dA.withUnsafePointer { pd in
            sum!.withUnsafeMutablePointer { ps in
                context.parallelRanges(count) { range in
                    for i in range { let (v, g) = (pa[i], pd[i]); ps[i] = ps[i] + (v > 0 ? g : 0) }
                }
            }
        }
    }
}

/// Naive reference for `accumulateAndReLU`: returns (new sum, ReLU(new sum)), ReLU written as
/// `reluForward` computes it (`v > 0 ? v : 0`: NaN gives 0, where `reluForwardReference`'s
/// `max` keeps it).
public func accumulateAndReLUReference(_ sum: Tensor?, _ addend: Tensor) -> (sum: Tensor, relu: Tensor) {
    let total = sum.map { addReference($0, addend) } ?? addend
    return (total, Tensor(shape: total.shape, storage: total.storage.map { $0 > 0 ? $0 : 0 }))
}

/// Naive reference for `accumulateReLUBackward`: returns the new sum.
public func accumulateReLUBackwardReference(_ sum: Tensor?, activation a: Tensor, outputGradient dA: Tensor) -> Tensor {
    let masked = reluBackwardReference(a, outputGradient: dA)
    return sum.map { addReference($0, masked) } ?? masked
}
