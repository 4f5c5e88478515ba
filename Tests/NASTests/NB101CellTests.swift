import XCTest
@testable import NAS

final class NB101CellTests: XCTestCase {
    // input → conv3x3 → output, plus input → output.
    let small = [[0, 1, 1], [0, 0, 1], [0, 0, 0]]

    func testParsesAndPrintsTableEncoding() throws {
        let cell = try NB101Cell(adjacencyDigits: "011001000", opsField: "input|conv3x3-bn-relu|output")
        XCTAssertEqual(cell.matrix, small)
        XCTAssertEqual(cell.adjacencyDigits, "011001000")
        XCTAssertEqual(cell.opsField, "input|conv3x3-bn-relu|output")
        XCTAssertEqual(cell.edgeCount, 3)
        // bits: 0→1 is bit 0, 0→2 bit 1, 1→2 bit 2
        XCTAssertEqual(cell.edgeBitmask, 0b111)
    }

    func testPrunesVerticesOffTheInputOutputPath() throws {
        // vertex 2 has no path to output, vertex 3 is unreachable from input.
        let matrix = [
            [0, 1, 1, 0, 0],
            [0, 0, 0, 0, 1],
            [0, 0, 0, 0, 0],
            [0, 0, 0, 0, 1],
            [0, 0, 0, 0, 0],
        ]
        let cell = try NB101Cell(matrix: matrix, ops: [.input, .conv1x1, .maxpool3x3, .conv3x3, .output])
        XCTAssertEqual(cell.matrix, [[0, 1, 0], [0, 0, 1], [0, 0, 0]])
        XCTAssertEqual(cell.ops, [.input, .conv1x1, .output])
    }

    func testRejectsInvalidCells() {
        let ops: [NB101Op] = [.input, .conv3x3, .output]
        XCTAssertThrowsError(try NB101Cell(matrix: [[0, 1, 0], [0, 0, 0], [0, 0, 0]], ops: ops)) {
            XCTAssertEqual("\($0)", "invalid NAS-Bench-101 cell: output is not reachable from input")
        }
        XCTAssertThrowsError(try NB101Cell(matrix: [[0, 1, 1], [1, 0, 1], [0, 0, 0]], ops: ops))
        XCTAssertThrowsError(try NB101Cell(matrix: small, ops: [.input, .output, .output]))
        XCTAssertThrowsError(try NB101Cell(matrix: small, ops: [.conv1x1, .conv3x3, .output]))
        XCTAssertThrowsError(try NB101Cell(matrix: [[0, 2, 0], [0, 0, 1], [0, 0, 0]], ops: ops))
        XCTAssertThrowsError(try NB101Cell(adjacencyDigits: "01100100", opsField: "input|conv3x3-bn-relu|output"))
        XCTAssertThrowsError(try NB101Cell(adjacencyDigits: "011001000", opsField: "input|conv5x5|output")) {
            XCTAssertEqual("\($0)", "invalid NAS-Bench-101 cell: unknown op label 'conv5x5'")
        }
        // A 7-vertex chain with all skip edges to the output has 11 edges.
        var dense = [[Int]](repeating: [Int](repeating: 0, count: 7), count: 7)
        for i in 0..<6 { dense[i][i + 1] = 1; dense[i][6] = 1 }
        XCTAssertThrowsError(try NB101Cell(matrix: dense, ops: [.input] + Array(repeating: .conv3x3, count: 5) + [.output])) {
            XCTAssertEqual("\($0)", "invalid NAS-Bench-101 cell: 11 edges after pruning, at most 9 allowed")
        }
    }

    /// First row of the table, pinned: the fingerprint must be the benchmark's.
    func testFingerprintMatchesPinnedBenchmarkHash() throws {
        let cell = try NB101Cell(
            adjacencyDigits: "0100110001000000010010000010000001000000010000000",
            opsField: "input|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output")
        XCTAssertEqual(cell.fingerprint, "00005c142e6f48ac74fdcf73e3439874")
        XCTAssertEqual(NB101Network.cifar10.parameterCount(cell), 8_555_530)
    }

    func testFingerprintIsInvariantUnderIsomorphism() throws {
        // Two branches swapped: input → {conv1x1, maxpool} → output.
        let matrix = [[0, 1, 1, 0], [0, 0, 0, 1], [0, 0, 0, 1], [0, 0, 0, 0]]
        let a = try NB101Cell(matrix: matrix, ops: [.input, .conv1x1, .maxpool3x3, .output])
        let b = try NB101Cell(matrix: matrix, ops: [.input, .maxpool3x3, .conv1x1, .output])
        let c = try NB101Cell(matrix: matrix, ops: [.input, .conv3x3, .maxpool3x3, .output])
        XCTAssertEqual(a.fingerprint, b.fingerprint)
        XCTAssertNotEqual(a.fingerprint, c.fingerprint)
        XCTAssertEqual(a.fingerprint.count, 32)
    }

    func testVertexChannelSplitting() throws {
        // 3 vertices feed the output: 128 = 43 + 43 + 42; vertex 1 feeds only
        // vertex 2 and takes its count.
        let matrix = [
            [0, 1, 0, 1, 1, 0],
            [0, 0, 1, 0, 0, 0],
            [0, 0, 0, 0, 0, 1],
            [0, 0, 0, 0, 0, 1],
            [0, 0, 0, 0, 0, 1],
            [0, 0, 0, 0, 0, 0],
        ]
        let cell = try NB101Cell(matrix: matrix, ops: [.input, .conv3x3, .conv3x3, .conv1x1, .maxpool3x3, .output])
        XCTAssertEqual(cell.vertexChannels(inputChannels: 64, outputChannels: 128), [64, 43, 43, 43, 42, 128])
    }

    /// Hand count for input → conv3x3 → output with a direct input → output edge.
    func testParameterCountAndFlopsByHand() throws {
        let cell = try NB101Cell(matrix: small, ops: [.input, .conv3x3, .output])
        // cell 128→128: projection 128·128+256, conv 9·128²+256, output projection 128·128+256
        XCTAssertEqual(cell.parameterCount(inputChannels: 128, outputChannels: 128),
                       16_384 + 256 + 147_456 + 256 + 16_384 + 256)
        XCTAssertEqual(cell.flops(inputChannels: 128, outputChannels: 128, size: 2), (16_384 + 147_456 + 16_384) * 4)
        let net = NB101Network.cifar10
        XCTAssertEqual(net.cellShapes.map(\.input), [128, 128, 128, 128, 256, 256, 256, 512, 512])
        XCTAssertEqual(net.cellShapes.map(\.size), [32, 32, 32, 16, 16, 16, 8, 8, 8])
        func cellParams(_ i: Int, _ o: Int) -> Int { i * o + 2 * o + 9 * o * o + 2 * o + i * o + 2 * o }
        let expected = 27 * 128 + 256
            + 3 * cellParams(128, 128) + cellParams(128, 256) + 2 * cellParams(256, 256)
            + cellParams(256, 512) + 2 * cellParams(512, 512) + 512 * 10 + 10
        XCTAssertEqual(net.parameterCount(cell), expected)
        func cellFlops(_ i: Int, _ o: Int, _ s: Int) -> Int { (2 * i * o + 9 * o * o) * s * s }
        let flops = 27 * 128 * 1024
            + 3 * cellFlops(128, 128, 32) + cellFlops(128, 256, 16) + 2 * cellFlops(256, 256, 16)
            + cellFlops(256, 512, 8) + 2 * cellFlops(512, 512, 8) + 5120
        XCTAssertEqual(net.flops(cell), flops)
    }
}
