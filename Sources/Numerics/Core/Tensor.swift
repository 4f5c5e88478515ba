/// A dense, contiguous, row-major float32 tensor.
///
/// `Tensor` is a value type whose storage is a Swift `Array`, so copy-on-write comes for free:
/// passing a tensor to a kernel or caching it in a layer never copies, and a copy happens only
/// when a shared tensor is mutated. That keeps kernels as plain functions (`Tensor` in, `Tensor`
/// out) without a reference-counted handle type or aliasing rules, and makes `Tensor` `Sendable`.
///
/// Image tensors are channels-last, `[N, H, W, C]` (NHWC); see docs/numerics.md for the
/// measurement behind that choice.
public struct Tensor: Sendable, Equatable {
    /// Extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// Elements in row-major order; `storage.count == shape.product`.
    public var storage: [Float]

    /// Wraps `storage` with `shape`; the element counts must agree.
    public init(shape: [Int], storage: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(storage.count == Tensor.elementCount(shape),
                     "storage has \(storage.count) elements, shape \(shape) needs \(Tensor.elementCount(shape))")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, storage: [Float](repeating: value, count: Tensor.elementCount(shape)))
    }

    /// A tensor of `shape` filled with zeros.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A tensor whose every element is written by `initializer` before use; skips zero-filling
    /// for kernel outputs that are fully overwritten.
    init(uninitializedShape shape: [Int], _ initializer: (UnsafeMutablePointer<Float>) -> Void) {
        let count = Tensor.elementCount(shape)
        let storage = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { initializer(buffer.baseAddress!) }
            initialized = count
        }
        self.init(shape: shape, storage: storage)
    }

    /// Number of elements.
    public var count: Int { storage.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// Product of the extents of `shape` (1 for a scalar shape `[]`).
    public static func elementCount(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// Calls `body` with a pointer to the elements (valid only during the call).
    @inlinable
    public func withUnsafePointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body($0.baseAddress ?? UnsafePointer(bitPattern: 16)!) }
    }

    /// Calls `body` with a mutable pointer to the elements (valid only during the call).
    @inlinable
    public mutating func withUnsafeMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body($0.baseAddress ?? UnsafeMutablePointer(bitPattern: 16)!) }
    }
}

extension Tensor {
    /// A tensor with independent normal samples of the given mean and standard deviation.
    public static func randomNormal(shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    generator: inout SplitMix64) -> Tensor {
        let storage = (0..<elementCount(shape)).map { _ in
            mean + standardDeviation * generator.nextGaussian()
        }
        return Tensor(shape: shape, storage: storage)
    }

    /// A tensor with independent uniform samples in `[lower, upper)`.
    public static func randomUniform(shape: [Int], lower: Float = 0, upper: Float = 1,
                                     generator: inout SplitMix64) -> Tensor {
        let storage = (0..<elementCount(shape)).map { _ in
            lower + (upper - lower) * generator.nextFloat()
        }
        return Tensor(shape: shape, storage: storage)
    }

    /// Largest absolute element-wise difference to `other` (shapes must match); used by tests
    /// and benches to compare a kernel with its reference.
    public func maxAbsoluteDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "shape \(shape) differs from \(other.shape)")
        var worst: Float = 0
        for i in 0..<count { worst = Swift.max(worst, abs(storage[i] - other.storage[i])) }
        return worst
    }
}
