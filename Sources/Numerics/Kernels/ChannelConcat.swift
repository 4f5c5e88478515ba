/// Concatenates tensors along the channel (last) axis, as NAS-Bench-101's output vertex does.
/// parts[i]: [..., C_i] with equal leading dimensions -> y: [..., sum C_i].
public func concatenateChannels(_ parts: [Tensor], context: ComputeContext) -> Tensor {
    precondition(!parts.isEmpty, "concatenateChannels needs at least one tensor")
    let lead = Array(parts[0].shape.dropLast())
    precondition(parts.allSatisfy { Array($0.shape.dropLast()) == lead }, "concatenateChannels leading shapes differ: \(parts.map(\.shape))")
    let widths = parts.map { $0.shape.last ?? 1 }
    let total = widths.reduce(0, +)
    let rows = Tensor.elementCount(lead)
    return Tensor(uninitializedShape: lead + [total]) { y in
        var offset = 0
        for (part, width) in zip(parts, widths) {
            let start = offset
            part.withUnsafePointer { src in
                context.parallelRanges(rows, minimumPerWorker: 1024) { range in
                    for r in range { (y + r * total + start).update(from: src + r * width, count: width) }
                }
            }
            offset += width
        }
    }
}

/// Splits the channel axis into consecutive groups: the backward of `concatenateChannels`, and
/// NAS-Bench-101's truncation (keep the first group). x: [..., C] -> [..., sizes[i]], sum(sizes) <= C.
public func splitChannels(_ x: Tensor, sizes: [Int], context: ComputeContext) -> [Tensor] {
    let total = x.shape.last ?? 1
    precondition(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) <= total, "splitChannels sizes \(sizes) exceed \(total) channels")
    let lead = Array(x.shape.dropLast())
    let rows = Tensor.elementCount(lead)
    var offset = 0
    return x.withUnsafePointer { src in
        sizes.map { width in
            let start = offset
            offset += width
            return Tensor(uninitializedShape: lead + [width]) { y in
                context.parallelRanges(rows, minimumPerWorker: 1024) { range in
                    for r in range { (y + r * width).update(from: src + r * total + start, count: width) }
                }
            }
        }
    }
}

/// Naive reference for `concatenateChannels`, element by element.
public func concatenateChannelsReference(_ parts: [Tensor]) -> Tensor {
    let lead = Array(parts[0].shape.dropLast())
    let widths = parts.map { $0.shape.last ?? 1 }
    var storage: [Float] = []
    for r in 0..<Tensor.elementCount(lead) {
        for (part, width) in zip(parts, widths) { for c in 0..<width { storage.append(part.storage[r * width + c]) } }
    }
    return Tensor(shape: lead + [widths.reduce(0, +)], storage: storage)
}
