import XCTest
@testable import NAS
import Numerics

final class NB201ModelTests: XCTestCase {
    func testForwardShapesForEveryKindOfCell() throws {
        let x = ModelFixtures.syntheticDataset(count: 5, seed: 1).images
        for text in [ModelFixtures.allConv, ModelFixtures.mixed, ModelFixtures.poolSkip, ModelFixtures.everyOp] {
            let model = try NB201Model(cell: ModelFixtures.cell(text), options: ModelFixtures.tinyOptions, seed: 3)
            let logits = model.forward(x, training: true, context: .serial)
            XCTAssertEqual(logits.shape, [5, 3], text)
            XCTAssertTrue(logits.storage.allSatisfy(\.isFinite), text)
            XCTAssertEqual(model.forward(x, training: false, context: .serial).shape, [5, 3], text)
        }
    }

    func testOddResolutionReachesTheHead() throws {
        // 14x14 → 14, 7, 4: the last reduction sees an odd side.
        let options = NB201ModelOptions(channels: 2, cellsPerStage: 1, inputChannels: 1, inputSize: 14, classes: 10)
        let model = try NB201Model(cell: ModelFixtures.cell(ModelFixtures.mixed), options: options, seed: 0)
        let y = model.forward(Tensor(repeating: 0.5, shape: [2, 14, 14, 1]), training: true, context: .serial)
        XCTAssertEqual(y.shape, [2, 10])
        XCTAssertEqual(model.backward(Tensor(repeating: 0.1, shape: [2, 10]), context: .serial).shape, [2, 14, 14, 1])
    }

    func testCellModuleKeepsShapeAndDegenerateCellOutputsZero() throws {
        var rng = SplitMix64(seed: 9)
        let x = Tensor.randomNormal(shape: [2, 4, 4, 3], generator: &rng)
        let live = NB201CellModule(cell: ModelFixtures.cell(ModelFixtures.everyOp), channels: 3, generator: &rng)
        XCTAssertEqual(live.forward(x, training: true, context: .serial).shape, x.shape)
        let dead = try NB201Cell(string: "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|")
        XCTAssertTrue(dead.isDegenerate)
        let module = NB201CellModule(cell: dead, channels: 3, generator: &rng)
        let y = module.forward(x, training: true, context: .serial)
        XCTAssertEqual(y, Tensor(zeros: x.shape))
        XCTAssertEqual(module.backward(Tensor(repeating: 1, shape: x.shape), context: .serial), Tensor(zeros: x.shape))
    }

    func testParameterCountMatchesSearchSpaceAtCIFARScale() throws {
        let options = NB201ModelOptions()  // C = 16, N = 5, 3x32x32, 10 classes
        XCTAssertEqual(options.network, NB201Network.cifar10)
        for text in [ModelFixtures.allConv, ModelFixtures.everyOp, ModelFixtures.poolSkip] {
            let cell = ModelFixtures.cell(text)
            let model = try NB201Model(cell: cell, options: options, seed: 0)
            XCTAssertEqual(model.parameters.scalarCount, NB201Network.cifar10.parameterCount(cell), text)
        }
        // The benchmark's all-conv3x3 network has 1,531,546 parameters (the table's 1.5315 MB).
        XCTAssertEqual(NB201Network.cifar10.parameterCount(ModelFixtures.cell(ModelFixtures.allConv)), 1_531_546)
    }

    func testBuildIsDeterministicInSeed() throws {
        let cell = ModelFixtures.cell(ModelFixtures.mixed)
        let a = try NB201Model(cell: cell, options: ModelFixtures.tinyOptions, seed: 5)
        let b = try NB201Model(cell: cell, options: ModelFixtures.tinyOptions, seed: 5)
        let c = try NB201Model(cell: cell, options: ModelFixtures.tinyOptions, seed: 6)
        XCTAssertEqual(a.parameters.map(\.value), b.parameters.map(\.value))
        XCTAssertNotEqual(a.parameters.map(\.value), c.parameters.map(\.value))
    }

    func testInvalidOptionsThrow() {
        var options = ModelFixtures.tinyOptions
        options.channels = 0
        XCTAssertThrowsError(try NB201Model(cell: ModelFixtures.cell(ModelFixtures.allConv), options: options, seed: 0))
    }

    /// Back-propagation against finite differences (see `GradientCheck`) on parameters spread
    /// over the network: stem, cell convs and BN, reduction main path and shortcut, head.
    func testGradientsMatchFiniteDifferences() throws {
        let model = try NB201Model(cell: ModelFixtures.cell(ModelFixtures.everyOp), options: ModelFixtures.tinyOptions, seed: 11)
        GradientCheck.run(model: model, data: ModelFixtures.syntheticDataset(count: 4, seed: 2), probes: [
            "stem.conv.weight", "stem.bn.weight", "stage0.cell0.edge01.conv.weight", "stage0.cell0.edge02.conv.weight",
            "stage0.cell0.edge23.bn.weight", "stage1.reduction.conv_a.weight", "stage1.reduction.shortcut.weight",
            "stage2.cell0.edge23.conv.weight", "lastact.bn.bias", "classifier.weight", "classifier.bias",
        ])
    }
}
