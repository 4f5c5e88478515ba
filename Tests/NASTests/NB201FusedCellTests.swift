import XCTest
@testable import NAS
import Numerics

/// The fused cell (conv edges of one kernel size leaving one node run as one
/// `FusedConvBatchNormBranches`) against the unfused one (every conv edge its own convolution
/// and BN, `fusesConvolutionEdges: false`), built from the same generator state.
///
/// Tolerance rtol 1e-4 + atol 1e-4 on outputs, input gradients and every parameter gradient:
/// the two compute the same sums in another order (wider GEMMs, dx of the fused edges summed
/// inside one GEMM, node sums accumulated source by source), so only float rounding may differ.
/// A routing mistake (wrong channel block, wrong destination, a dropped zero gradient) is O(1).
final class NB201FusedCellTests: XCTestCase {
    static let cells = [
        ModelFixtures.allConv, ModelFixtures.mixed, ModelFixtures.everyOp,
        // Three 1x1 edges leave node 0 (a fused 1x1 group), two 3x3 edges leave node 1.
        "|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|nor_conv_1x1~0|nor_conv_3x3~1|skip_connect~2|",
        // Node 1 feeds nothing: its block of node 0's fused group gets no gradient (zeros).
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|nor_conv_3x3~0|none~1|nor_conv_1x1~2|",
    ]

    func testFusedCellMatchesUnfusedCell() {
        let channels = 4
        let x = FusedCellFixtures.normal([3, 5, 5, channels], seed: 21)
        for text in Self.cells {
            let cell = ModelFixtures.cell(text)
            var g1 = SplitMix64(seed: 5), g2 = SplitMix64(seed: 5), g3 = SplitMix64(seed: 5)
            let fused = NB201CellModule(cell: cell, channels: channels, name: "c", fusesConvolutionEdges: true, generator: &g1)
            let plain = NB201CellModule(cell: cell, channels: channels, name: "c", fusesConvolutionEdges: false, generator: &g2)
            // Fused module whose groups are all over the size limit: it runs its edges one by one.
            let split = NB201CellModule(cell: cell, channels: channels, name: "c", fusesConvolutionEdges: true, generator: &g3)
            split.fusedOutputLimit = 0
            XCTAssertEqual(fused.groups(for: x).map(\.destinations), fused.groups.map(\.destinations), text)
            XCTAssertEqual(split.groups(for: x).map(\.destinations), plain.groups.map(\.destinations), text)
            if text == ModelFixtures.allConv {   // a limit equal to the 3-branch output splits only that group
                let edge = NB201CellModule(cell: cell, channels: channels, name: "c", fusesConvolutionEdges: true, generator: &g3)
                edge.fusedOutputLimit = 3 * 5 * 5 * (3 * channels) * MemoryLayout<Float>.size
                XCTAssertEqual(edge.groups(for: x).map(\.destinations), [[1], [2], [3], [2, 3], [3]])
            }
            XCTAssertEqual(fused.parameters.map(\.name), plain.parameters.map(\.name), text)
            XCTAssertEqual(fused.parameters.map(\.value), plain.parameters.map(\.value), text)
            XCTAssertEqual(plain.groups.map(\.destinations.count).reduce(0, +), fused.groups.map(\.destinations.count).reduce(0, +))
            if text == ModelFixtures.allConv {   // node 0 feeds 1, 2, 3; node 1 feeds 2, 3; node 2 feeds 3
                XCTAssertEqual(fused.groups.map(\.destinations), [[1, 2, 3], [2, 3], [3]])
                XCTAssertEqual(plain.groups.count, 6)
            }
            for step in 0..<2 {   // the second step starts from the running statistics of the first
                let ctx = ComputeContext(threads: step + 1)
                let label = "\(text) step \(step)"
                let (y1, y2) = (fused.forward(x, training: true, context: ctx), plain.forward(x, training: true, context: ctx))
                assertNear(y1, y2, "y " + label)
                assertNear(split.forward(x, training: true, context: ctx), y2, "split y " + label)
                let dy = FusedCellFixtures.normal(x.shape, seed: 30 + UInt64(step))
                let dx = plain.backward(dy, context: ctx)
                assertNear(fused.backward(dy, context: ctx), dx, "dx " + label)
                assertNear(split.backward(dy, context: ctx), dx, "split dx " + label)
                for (p, q) in zip(fused.parameters, plain.parameters) {
                    assertNear(p.gradient, q.gradient, "d\(p.name) " + label)
                }
                for (p, q) in zip(split.parameters, plain.parameters) {
                    assertNear(p.gradient, q.gradient, "split d\(p.name) " + label)
                }
                assertNear(fused.forward(x, training: false, context: ctx), plain.forward(x, training: false, context: ctx),
                           "eval y " + label)
            }
        }
    }

    /// Back-propagation through a cell whose node 0 feeds a fused group of three, against
    /// finite differences of the training loss (`GradientCheck`, with its kink test and tolerances).
    func testFusedCellGradientsMatchFiniteDifferences() {
        let model = try! NB201Model(cell: ModelFixtures.cell(Self.cells[3]), options: ModelFixtures.tinyOptions, seed: 4)
        GradientCheck.run(model: model, data: ModelFixtures.syntheticDataset(count: 4, seed: 3), probes: [
            "stage0.cell0.edge01.conv.weight", "stage0.cell0.edge02.conv.weight", "stage0.cell0.edge03.conv.weight",
            "stage0.cell0.edge03.bn.weight", "stage0.cell0.edge13.conv.weight", "stage1.cell0.edge12.bn.bias",
        ])
    }

    private func assertNear(_ a: Tensor, _ b: Tensor, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, message, file: file, line: line)
        guard a.shape == b.shape else { return }
        for i in 0..<a.count where abs(a.storage[i] - b.storage[i]) > 1e-4 + 1e-4 * abs(b.storage[i]) {
            XCTFail("\(message) element \(i): \(a.storage[i]) vs \(b.storage[i])", file: file, line: line)
            return
        }
    }
}

private enum FusedCellFixtures {
    static func normal(_ shape: [Int], seed: UInt64) -> Tensor {
        var g = SplitMix64(seed: seed)
        return Tensor.randomNormal(shape: shape, generator: &g)
    }
}
