import XCTest
@testable import Numerics

/// Pooling, ReLU, add, global average pool and linear kernels vs references (rtol 1e-4,
/// atol 1e-5) and finite differences (eps 1e-2, rtol 1e-2, atol 2e-3).
final class PoolAndElementwiseTests: XCTestCase {
    /// 3x3 stride-1 pad-1 average pool with padding excluded: a corner averages 4 pixels,
    /// an edge 6 and the centre 9 (NAS-Bench-201's count_include_pad=False).
    func testAvgPoolExcludesPaddingAtBorders() {
        let x = Tensor(shape: [1, 3, 3, 1], storage: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let y = avgPool2dForward(x, kernel: 3, stride: 1, padding: 1, context: .serial)
        XCTAssertEqual(y.storage[0], (1 + 2 + 4 + 5) / 4)
        XCTAssertEqual(y.storage[1], (1 + 2 + 3 + 4 + 5 + 6) / 6)
        XCTAssertEqual(y.storage[4], 5)
        let included = avgPool2dForward(x, kernel: 3, stride: 1, padding: 1, countIncludePad: true, context: .serial)
        XCTAssertEqual(included.storage[0], 12 / 9, accuracy: 1e-6)
    }

    /// Channel counts 3 (scalar path) and 11 (one 8-wide SIMD group plus remainder).
    func testAvgPoolMatchesReferenceAndFiniteDifferences() {
      for channels in [3, 11] {
        let x = TestSupport.random([2, 5, 4, channels], seed: 21)
        for (k, s, p, include) in [(3, 1, 1, false), (3, 1, 1, true), (2, 2, 0, false), (3, 2, 1, false)] {
            let y = avgPool2dForward(x, kernel: k, stride: s, padding: p, countIncludePad: include, context: ComputeContext(threads: 2))
            assertClose(y, avgPool2dForwardReference(x, kernel: k, stride: s, padding: p, countIncludePad: include), "avg \(k) \(s) \(p)")
            let r = TestSupport.random(y.shape, seed: 22)
            let dx = avgPool2dBackward(outputGradient: r, inputShape: x.shape, kernel: k, stride: s, padding: p,
                                       countIncludePad: include, context: ComputeContext(threads: 2))
            assertGradient(of: { weightedSum(avgPool2dForward($0, kernel: k, stride: s, padding: p, countIncludePad: include,
                                                              context: .serial), r) }, at: x, analytic: dx, "avg dx \(k) \(s) \(p)")
        }
      }
    }

    /// The gather backward adds each input pixel's contributions in the order of the scatter
    /// reference (outputs in raster order), so it must match it bit for bit: channels 3, 11, 16
    /// and 40 cover the scalar, 8-wide and 16-wide paths; strides 1 and 2 and a 1x1 stride-2
    /// window that skips pixels (their dx must be exactly zero).
    func testAvgPoolBackwardMatchesScatterReferenceBitForBit() {
        for channels in [3, 11, 16, 40] {
            let x = TestSupport.random([3, 6, 5, channels], seed: 25)
            for (k, s, p, include) in [(3, 1, 1, false), (3, 1, 1, true), (2, 2, 0, false), (3, 2, 1, false), (1, 2, 0, false)] {
                let g = Pool2dGeometry(input: x.shape, kernel: k, stride: s, padding: p)
                let dy = TestSupport.random(g.outputShape, seed: 26)
                let dx = avgPool2dBackward(outputGradient: dy, inputShape: x.shape, kernel: k, stride: s, padding: p,
                                           countIncludePad: include, context: ComputeContext(threads: 2))
                let ref = avgPool2dBackwardReference(outputGradient: dy, inputShape: x.shape, kernel: k, stride: s,
                                                     padding: p, countIncludePad: include)
                XCTAssertEqual(dx.shape, ref.shape)
                XCTAssertEqual(dx.storage.map(\.bitPattern), ref.storage.map(\.bitPattern), "avg dx \(channels) \(k) \(s) \(p) \(include)")
            }
        }
    }

    func testMaxPoolMatchesReferenceAndFiniteDifferences() {
        let x = TestSupport.distinct([2, 4, 5, 2], seed: 23)
        for (k, s, p) in [(3, 1, 1), (2, 2, 0)] {
            let (y, argmax) = maxPool2dForward(x, kernel: k, stride: s, padding: p, context: ComputeContext(threads: 2))
            assertClose(y, maxPool2dForwardReference(x, kernel: k, stride: s, padding: p), "max \(k)")
            let r = TestSupport.random(y.shape, seed: 24)
            let dx = maxPool2dBackward(outputGradient: r, argmax: argmax, inputShape: x.shape, context: ComputeContext(threads: 2))
            assertGradient(of: { weightedSum(maxPool2dForward($0, kernel: k, stride: s, padding: p, context: .serial).output, r) },
                           at: x, analytic: dx, "max dx \(k)")
        }
    }

    func testMaxPoolTiesGoToFirstMaximum() {
        let x = Tensor(repeating: 1, shape: [1, 2, 2, 1])
        let (_, argmax) = maxPool2dForward(x, kernel: 2, stride: 2, padding: 0, context: .serial)
        XCTAssertEqual(argmax, [0])
    }

    func testReluAndAdd() {
        let x = TestSupport.distinct([3, 7], seed: 25), b = TestSupport.random([3, 7], seed: 26)
        assertClose(reluForward(x, context: ComputeContext(threads: 2)), reluForwardReference(x))
        let r = TestSupport.random([3, 7], seed: 27)
        let dx = reluBackward(x, outputGradient: r, context: .serial)
        assertClose(dx, reluBackwardReference(x, outputGradient: r))
        assertGradient(of: { weightedSum(reluForward($0, context: .serial), r) }, at: x, analytic: dx, "relu")
        assertClose(add(x, b, context: .serial), addReference(x, b))
        var sum: Tensor? = nil
        accumulate(&sum, x, context: .serial)
        accumulate(&sum, b, context: .serial)
        assertClose(sum!, addReference(x, b))
    }

    func testGlobalAvgPool() {
        let x = TestSupport.random([2, 3, 4, 5], seed: 28)
        let y = globalAvgPoolForward(x, context: ComputeContext(threads: 2))
        assertClose(y, globalAvgPoolForwardReference(x))
        let r = TestSupport.random([2, 5], seed: 29)
        let dx = globalAvgPoolBackward(outputGradient: r, inputShape: x.shape, context: .serial)
        assertGradient(of: { weightedSum(globalAvgPoolForward($0, context: .serial), r) }, at: x, analytic: dx, "gap")
    }

    func testLinearMatchesReferenceAndFiniteDifferences() {
        let x = TestSupport.random([4, 6], seed: 30), w = TestSupport.random([3, 6], seed: 31)
        let b = TestSupport.random([3], seed: 32), r = TestSupport.random([4, 3], seed: 33)
        assertClose(linearForward(x, weight: w, bias: b, context: .serial), linearForwardReference(x, weight: w, bias: b))
        let got = linearBackward(x, weight: w, outputGradient: r, context: .serial)
        let ref = linearBackwardReference(x, weight: w, outputGradient: r)
        assertClose(got.input, ref.input)
        assertClose(got.weight, ref.weight)
        assertClose(got.bias, ref.bias)
        assertGradient(of: { weightedSum(linearForward($0, weight: w, bias: b, context: .serial), r) }, at: x, analytic: got.input, "linear dx")
        assertGradient(of: { weightedSum(linearForward(x, weight: $0, bias: b, context: .serial), r) }, at: w, analytic: got.weight, "linear dw")
        assertGradient(of: { weightedSum(linearForward(x, weight: w, bias: $0, context: .serial), r) }, at: b, analytic: got.bias, "linear db")
    }
}

final class ChannelConcatTests: XCTestCase {
    func testConcatenateMatchesReferenceAndSplitInverts() {
        let a = TestSupport.random([2, 3, 3, 2], seed: 71), b = TestSupport.random([2, 3, 3, 5], seed: 72)
        let y = concatenateChannels([a, b], context: ComputeContext(threads: 2))
        XCTAssertEqual(y, concatenateChannelsReference([a, b]))
        XCTAssertEqual(y.shape, [2, 3, 3, 7])
        XCTAssertEqual(splitChannels(y, sizes: [2, 5], context: .serial), [a, b])
        // Truncation keeps the leading channels.
        XCTAssertEqual(splitChannels(b, sizes: [2], context: .serial)[0],
                       Tensor(shape: [2, 3, 3, 2], storage: (0..<18).flatMap { [b.storage[$0 * 5], b.storage[$0 * 5 + 1]] }))
    }

    /// The fused ReLU accumulations against their references, exactly (same roundings as the
    /// unfused pairs), fresh (nil sum) and accumulating, with 0, -0 and NaN placed in the
    /// operands to pin the select's choices; 5,000 elements give two workers.
    func testReLUAccumulationsMatchReferences() {
        var a = TestSupport.random([5000], seed: 41), dA = TestSupport.random([5000], seed: 42)
        for (i, special) in [Float(0), -0.0, .nan].enumerated() { a.storage[i * 97] = special; dA.storage[i * 89 + 3] = special }
        var startValues = TestSupport.random([5000], seed: 43)
        startValues.storage[11] = -0.0   // -0 + (masked 0) is +0: the fused pass must add, not select
        a.storage[11] = -1
        let bits = { (t: Tensor) in t.storage.map(\.bitPattern) }
        for start in [nil, startValues] {
            var sum = start
            let relu = accumulateAndReLU(&sum, dA, context: ComputeContext(threads: 2))
            let ref = accumulateAndReLUReference(start, dA)
            XCTAssertEqual(bits(sum!), bits(ref.sum))
            XCTAssertEqual(bits(relu), bits(ref.relu))
            var gradient = start, g = dA
            accumulateReLUBackward(&gradient, activation: a, outputGradient: &g, context: ComputeContext(threads: 2))
            XCTAssertEqual(bits(gradient!), bits(accumulateReLUBackwardReference(start, activation: a, outputGradient: dA)))
        }
    }
}
