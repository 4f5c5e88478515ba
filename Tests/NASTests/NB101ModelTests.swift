import XCTest
@testable import NAS
import Numerics

final class NB101ModelTests: XCTestCase {
    /// Seven vertices, all three ops, nine edges including input→output.
    static let large = try! NB101Cell(
        matrix: [[0, 1, 1, 0, 0, 0, 1],
                 [0, 0, 0, 1, 0, 0, 0],
                 [0, 0, 0, 1, 0, 1, 0],
                 [0, 0, 0, 0, 1, 0, 0],
                 [0, 0, 0, 0, 0, 0, 1],
                 [0, 0, 0, 0, 0, 0, 1],
                 [0, 0, 0, 0, 0, 0, 0]],
        ops: [.input, .conv3x3, .conv1x1, .maxpool3x3, .conv3x3, .conv1x1, .output])
    /// Input → conv3x3 → output plus the input→output projection.
    static let small = try! NB101Cell(matrix: [[0, 1, 1], [0, 0, 1], [0, 0, 0]], ops: [.input, .conv3x3, .output])
    /// Only an input→output edge: the output is the projection alone.
    static let direct = try! NB101Cell(matrix: [[0, 1], [0, 0]], ops: [.input, .output])

    /// Stem 10 makes the output split uneven (10 = 4 + 3 + 3 style remainders at every width).
    static let tiny = NB101ModelOptions(stemChannels: 10, stacks: 3, cellsPerStack: 2, inputChannels: 1, inputSize: 8, classes: 3)

    func testParameterCountMatchesSearchSpace() throws {
        for cell in [Self.large, Self.small, Self.direct] {
            let model = try NB101Model(cell: cell, options: Self.tiny, seed: 0)
            XCTAssertEqual(model.parameters.scalarCount, Self.tiny.network.parameterCount(cell), cell.description)
        }
    }

    func testParameterCountAtBenchmarkScale() throws {
        // The full CIFAR-10 network (128 stem channels, 3x3 cells) with the cheapest cell.
        let model = try NB101Model(cell: Self.small, options: NB101ModelOptions(), seed: 0)
        XCTAssertEqual(model.parameters.scalarCount, NB101Network.cifar10.parameterCount(Self.small))
    }

    func testForwardShapesAndBackward() throws {
        let x = ModelFixtures.syntheticDataset(count: 3, seed: 4).images
        for cell in [Self.large, Self.small, Self.direct] {
            let model = try NB101Model(cell: cell, options: Self.tiny, seed: 1)
            let y = model.forward(x, training: true, context: .serial)
            XCTAssertEqual(y.shape, [3, 3])
            model.parameters.zeroGradients()
            _ = model.backward(Tensor(repeating: 0.1, shape: [3, 3]), context: .serial)
            XCTAssertTrue(model.parameters.contains { p in p.gradient.storage.contains { $0 != 0 } })
        }
    }

    /// Back-propagation against finite differences (see `GradientCheck`) through concatenation,
    /// truncation, projections and max-pooling, for every test cell.
    func testGradientsMatchFiniteDifferences() throws {
        let data = ModelFixtures.syntheticDataset(count: 4, seed: 8)
        let large = try NB101Model(cell: Self.large, options: Self.tiny, seed: 2)
        GradientCheck.run(model: large, data: data, probes: [
            "stem.conv.weight", "cell0.proj1.conv.weight", "cell0.v1.conv.weight", "cell0.proj2.conv.weight", "cell0.v2.bn.weight",
            "cell0.proj6.conv.weight", "cell2.v4.conv.weight", "cell3.v5.bn.bias", "classifier.weight",
        ], absolute: 3e-3, relative: 0.06)
        GradientCheck.run(model: try NB101Model(cell: Self.small, options: Self.tiny, seed: 3), data: data,
                          probes: ["stem.conv.weight", "cell1.proj1.conv.weight", "cell4.v1.conv.weight", "cell5.proj2.bn.weight"],
                          absolute: 3e-3, relative: 0.06)
        GradientCheck.run(model: try NB101Model(cell: Self.direct, options: Self.tiny, seed: 4), data: data,
                          probes: ["cell0.proj1.conv.weight", "cell5.proj1.bn.bias"], absolute: 3e-3, relative: 0.06)
    }
}
