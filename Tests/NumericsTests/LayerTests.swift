import XCTest
@testable import Numerics

/// Layers composed into a small NAS-Bench-201-like DAG: a stem, one cell node summing a
/// ReLU-Conv-BN edge, an avg-pool edge and a skip edge, then a residual-style downsampling
/// shortcut, global pooling and a linear head.
private final class TinyNet {
    let stem: Sequential, edgeConv: Sequential, edgePool = AvgPool2d()
    let down: Sequential, head: Sequential
    init(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        stem = Sequential([Conv2d(inChannels: 1, outChannels: 3, kernelSize: 3, padding: 1, generator: &g), BatchNorm2d(channels: 3)])
        edgeConv = Sequential([ReLU(), Conv2d(inChannels: 3, outChannels: 3, kernelSize: 1, generator: &g), BatchNorm2d(channels: 3)])
        down = Sequential([AvgPool2d(kernel: 2, stride: 2, padding: 0), Conv2d(inChannels: 3, outChannels: 4, kernelSize: 1, generator: &g),
                           MaxPool2d(kernel: 3, stride: 1, padding: 1)])
        head = Sequential([BatchNorm2d(channels: 4), ReLU(), GlobalAvgPool(), Linear(inFeatures: 4, outFeatures: 3, generator: &g)])
    }
    var parameters: [Parameter] { [stem, edgeConv, down, head].flatMap { $0.parameters } }

    func forward(_ x: Tensor, context: ComputeContext) -> Tensor {
        let a = stem.forward(x, training: true, context: context)
        let node = add(add(edgeConv.forward(a, training: true, context: context),
                           edgePool.forward(a, training: true, context: context), context: context), a, context: context)
        return head.forward(down.forward(node, training: true, context: context), training: true, context: context)
    }

    func backward(_ dLogits: Tensor, context: ComputeContext) {
        let dNode = down.backward(head.backward(dLogits, context: context), context: context)
        var dA: Tensor? = dNode                       // the skip edge
        accumulate(&dA, edgeConv.backward(dNode, context: context), context: context)
        accumulate(&dA, edgePool.backward(dNode, context: context), context: context)
        _ = stem.backward(dA!, context: context)
    }

    func loss(_ x: Tensor, _ labels: [Int], context: ComputeContext) -> Double {
        let losses = softmaxCrossEntropy(logits: forward(x, context: context), labels: labels).losses
        return losses.reduce(0) { $0 + Double($1) } / Double(losses.count)
    }
}

final class LayerTests: XCTestCase {
    let x = TestSupport.random([4, 6, 6, 1], seed: 51)
    let labels = [0, 2, 1, 2]

    /// Parameter gradients of the whole DAG vs central differences (eps 1e-3, rtol 1e-2, atol 1e-3;
    /// a smaller step than the single-kernel checks because with eps 1e-2 a perturbed weight can
    /// move some ReLU/max-pool input across its kink).
    func testDAGGradientsMatchFiniteDifferences() {
        let net = TinyNet(seed: 1)
        let ctx = ComputeContext.serial
        let (_, grad) = softmaxCrossEntropy(logits: net.forward(x, context: ctx), labels: labels)
        net.backward(grad, context: ctx)
        for p in net.parameters {
            let analytic = p.gradient, original = p.value
            assertGradient(of: { v in
                p.value = v
                defer { p.value = original }
                return net.loss(x, labels, context: ctx)
            }, at: original, analytic: analytic, epsilon: 1e-3, rtol: 1e-2, atol: 1e-3, p.name)
        }
    }

    /// Same seed twice gives identical bits after three SGD steps, for 1 and 2 threads alike.
    func testTrainingIsDeterministic() {
        func train(threads: Int) -> [UInt32] {
            let net = TinyNet(seed: 9), ctx = ComputeContext(threads: threads)
            let sgd = SGD(parameters: net.parameters, options: SGD.Options(momentum: 0.9, nesterov: true, weightDecay: 5e-4))
            for _ in 0..<3 {
                net.parameters.zeroGradients()
                let (_, grad) = softmaxCrossEntropy(logits: net.forward(x, context: ctx), labels: labels)
                net.backward(grad, context: ctx)
                sgd.step(learningRate: 0.1)
            }
            return net.parameters.flatMap { $0.value.storage.map(\.bitPattern) }
        }
        let first = train(threads: 1)
        XCTAssertEqual(first, train(threads: 1))
        XCTAssertEqual(first, train(threads: 2))
        XCTAssertNotEqual(first, TinyNet(seed: 9).parameters.flatMap { $0.value.storage.map(\.bitPattern) }, "training moved the weights")
    }

    func testSGDReducesLoss() {
        let net = TinyNet(seed: 3), ctx = ComputeContext(threads: 2)
        let sgd = SGD(parameters: net.parameters, options: SGD.Options(momentum: 0.9))
        let before = net.loss(x, labels, context: ctx)
        for _ in 0..<20 {
            net.parameters.zeroGradients()
            let (_, grad) = softmaxCrossEntropy(logits: net.forward(x, context: ctx), labels: labels)
            net.backward(grad, context: ctx)
            sgd.step(learningRate: 0.05)
        }
        XCTAssertLessThan(net.loss(x, labels, context: ctx), before * 0.5)
    }

    func testParameterNamesAndCounts() {
        var g = SplitMix64(seed: 0)
        let conv = Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3, bias: true, name: "c", generator: &g)
        XCTAssertEqual(conv.parameters.map(\.name), ["c.weight", "c.bias"])
        XCTAssertEqual(conv.parameters.scalarCount, 3 * 3 * 3 * 8 + 8)
        XCTAssertEqual(Linear(inFeatures: 4, outFeatures: 2, generator: &g).parameters.scalarCount, 10)
    }
}

final class TrivialLayerTests: XCTestCase {
    func testIdentityAndZero() {
        let x = TestSupport.random([2, 3, 3, 2], seed: 61)
        XCTAssertEqual(Identity().forward(x, training: true, context: .serial), x)
        let zero = Zero()
        XCTAssertEqual(zero.forward(x, training: true, context: .serial), Tensor(zeros: x.shape))
        XCTAssertEqual(zero.backward(x, context: .serial), Tensor(zeros: x.shape))
    }
}
