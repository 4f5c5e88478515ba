import XCTest
@testable import NAS

final class EncodingTests: XCTestCase {
    /// input → conv3x3 → output.
    func chain() throws -> NB101Cell {
        try NB101Cell(matrix: [[0, 1, 0], [0, 0, 1], [0, 0, 0]], ops: [.input, .conv3x3, .output])
    }

    func testPaddedSlotsPutTheOutputLast() throws {
        XCTAssertEqual(try chain().paddedSlots, [0, 1, 6])
    }

    /// Hand-computed: first cell 128→128 at 32×32; the conv3x3 vertex has 128
    /// channels and a 1×1 projection from the input.
    func testReNASTensorPinnedValues() throws {
        let encoding = NB101ReNASEncoding()
        XCTAssertEqual(encoding.channels, 19)
        XCTAssertEqual(encoding.featureCount, 931)
        let t = try encoding.encode(chain())
        func at(_ c: Int, _ i: Int, _ j: Int) -> Double { t[(c * 7 + i) * 7 + j] }
        XCTAssertEqual(at(0, 0, 1), 3)  // conv3x3 code on edge 0→1
        XCTAssertEqual(at(0, 1, 6), 5)  // output code on edge 1→output
        XCTAssertEqual(at(1, 0, 1), Double(9 * 128 * 128 * 1024 + 128 * 128 * 1024) / 1e6, accuracy: 1e-9)
        XCTAssertEqual(at(1, 1, 6), 0)  // no input→output projection
        XCTAssertEqual(at(10, 0, 1), Double(9 * 128 * 128 + 2 * 128 + 128 * 128 + 2 * 128) / 1e6, accuracy: 1e-12)
        // Cell 4 (stack 2, 256→256 at 16×16): same MACs per cell as stack 1, 4× parameters of the 3×3 conv.
        XCTAssertEqual(at(5, 0, 1), Double(9 * 256 * 256 * 256 + 256 * 256 * 256) / 1e6, accuracy: 1e-9)
        // Non-zero only on the two edges: both type entries, and the 18 cost
        // channels on 0→1 (the output vertex has no projection, so costs 0).
        XCTAssertEqual(t.filter { $0 != 0 }.count, 2 + 18)
    }

    /// Every cost entry of the tensor is the target vertex's public
    /// `vertexFlops` / `vertexParameters` value for that cell of the network.
    func testReNASCostChannelsMatchVertexCosts() throws {
        let table = try TestData.nb101Table.get()
        let encoding = NB101ReNASEncoding()
        let shapes = NB101Network.cifar10.cellShapes
        for record in table.records.prefix(200) {
            let cell = record.cell, t = encoding.encode(cell), slot = cell.paddedSlots
            for (k, shape) in shapes.enumerated() {
                let flops = cell.vertexFlops(inputChannels: shape.input, outputChannels: shape.output, size: shape.size)
                let params = cell.vertexParameters(inputChannels: shape.input, outputChannels: shape.output)
                for i in 0..<cell.vertexCount {
                    for j in (i + 1)..<cell.vertexCount {
                        let edge = cell.hasEdge(from: i, to: j) ? 1.0 : 0.0
                        XCTAssertEqual(t[((1 + k) * 7 + slot[i]) * 7 + slot[j]], edge * Double(flops[j]) / 1e6)
                        XCTAssertEqual(t[((10 + k) * 7 + slot[i]) * 7 + slot[j]], edge * Double(params[j]) / 1e6)
                    }
                }
            }
        }
    }

    /// Vertex costs add up to the cell costs for every cell of ≤ 5 vertices
    /// and every cell shape of the network.
    func testVertexCostsSumToCellCosts() throws {
        let cells = try NB101SearchSpace.enumerate(maxVertices: 5)
        for cell in cells {
            for shape in NB101Network.cifar10.cellShapes {
                XCTAssertEqual(cell.vertexFlops(inputChannels: shape.input, outputChannels: shape.output, size: shape.size)
                    .reduce(0, +), cell.flops(inputChannels: shape.input, outputChannels: shape.output, size: shape.size))
                XCTAssertEqual(cell.vertexParameters(inputChannels: shape.input, outputChannels: shape.output).reduce(0, +),
                               cell.parameterCount(inputChannels: shape.input, outputChannels: shape.output))
            }
        }
    }

    func testFlatEncodingMatchesPaddedMatrix() throws {
        let table = try TestData.nb101Table.get()
        let encoding = NB101FlatEncoding()
        XCTAssertEqual(encoding.featureCount, 36)
        for record in table.records.prefix(300) {
            let cell = record.cell, f = encoding.encode(cell)
            XCTAssertEqual(f.count, 36)
            XCTAssertEqual(f[0..<21].reduce(0, +), Double(cell.edgeCount))
            XCTAssertEqual(f[21...].reduce(0, +), Double(cell.vertexCount - 2))
            // Upper-triangle index of slot pair (a, b), a < b.
            func index(_ a: Int, _ b: Int) -> Int { a * 7 - a * (a + 1) / 2 + (b - a - 1) }
            let slot = cell.paddedSlots
            for i in 0..<cell.vertexCount {
                for j in (i + 1)..<cell.vertexCount {
                    XCTAssertEqual(f[index(slot[i], slot[j])], cell.hasEdge(from: i, to: j) ? 1 : 0)
                }
            }
        }
        XCTAssertEqual(try encoding.encode(chain()), [1] + [Double](repeating: 0, count: 9) + [1]
            + [Double](repeating: 0, count: 10) + [1, 0, 0] + [Double](repeating: 0, count: 12))
    }

    /// The DFS path encoding against a brute force over vertex subsets.
    func testPathEncodingMatchesSubsetBruteForce() throws {
        let table = try TestData.nb101Table.get()
        let encoding = NB101PathEncoding()
        XCTAssertEqual(encoding.featureCount, 364)
        for record in table.records.prefix(500) {
            let cell = record.cell, n = cell.vertexCount
            var expected = [Double](repeating: 0, count: 364)
            for mask in 0..<(1 << (n - 2)) {
                let interior = (1..<(n - 1)).filter { mask & (1 << ($0 - 1)) != 0 }
                let walk = [0] + interior + [n - 1]
                guard zip(walk, walk.dropFirst()).allSatisfy({ cell.hasEdge(from: $0, to: $1) }) else { continue }
                let code = interior.reduce(0) { $0 * 3 + NB101Op.interior.firstIndex(of: cell.ops[$1])! }
                let offset = [0, 1, 4, 13, 40, 121][interior.count]
                expected[offset + code] = 1
            }
            XCTAssertEqual(encoding.encode(cell), expected, record.hash)
        }
        let skip = try NB101Cell(matrix: [[0, 1, 1], [0, 0, 1], [0, 0, 0]], ops: [.input, .maxpool3x3, .output])
        let f = encoding.encode(skip)
        XCTAssertEqual(f.indices.filter { f[$0] == 1 }, [0, 3])  // empty path, [maxpool] = 1 + 2
    }

    func testNB201PathEncoding() throws {
        let encoding = NB201PathEncoding()
        XCTAssertEqual(encoding.featureCount, 84)
        let conv = try NB201Cell(ops: Array(repeating: .conv3x3, count: 6))
        let f = encoding.encode(conv)
        XCTAssertEqual(f.indices.filter { f[$0] == 1 }, [2, 14, 62])  // 0→2→3 and 0→1→3 share [c3, c3]
        let dead = try NB201Cell(ops: Array(repeating: .none, count: 6))
        XCTAssertEqual(encoding.encode(dead), [Double](repeating: 0, count: 84))
        // Degenerate cells are exactly those without any path feature.
        for cell in NB201Cell.all {
            XCTAssertEqual(encoding.encode(cell).allSatisfy { $0 == 0 }, cell.isDegenerate)
        }
    }

    func testNB201FlatAndReNASEncodings() throws {
        let cell = try NB201Cell(string: "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|")
        let flat = NB201FlatEncoding().encode(cell)
        XCTAssertEqual(flat.count, 30)
        XCTAssertEqual(flat.indices.filter { flat[$0] == 1 }, [3, 5, 11, 19, 22, 25])
        let renas = NB201ReNASEncoding()
        XCTAssertEqual(renas.featureCount, 176)
        let t = renas.encode(cell)
        func at(_ c: Int, _ i: Int, _ j: Int) -> Double { t[(c * 4 + i) * 4 + j] }
        XCTAssertEqual(at(3, 0, 1), 1)  // conv3x3 on 0→1
        XCTAssertEqual(at(0, 0, 2), 1)  // none on 0→2
        let oneHots: Double = t[0..<80].reduce(0, +)
        XCTAssertEqual(oneHots, 6)
        XCTAssertEqual(at(5, 0, 1), Double(9 * 16 * 16 * 32 * 32) / 1e6, accuracy: 1e-12)
        XCTAssertEqual(at(7, 0, 1), at(5, 0, 1), accuracy: 1e-12)
        XCTAssertEqual(at(10, 0, 1), Double(9 * 64 * 64 + 2 * 64) / 1e3, accuracy: 1e-12)
        XCTAssertEqual(at(8, 1, 3), Double(16 * 16 + 2 * 16) / 1e3, accuracy: 1e-12)
    }

    /// The table's first row, counted by hand: edges 0→1, 0→4, 0→5, 1→2, 2→3, 2→6, 3→5, 4→5,
    /// 5→6; longest path 0→1→2→3→5→6 (5 edges); paths 0-1-2-6 and three through 5 (via 0, 3, 4).
    func testNB101CellStatisticsPinnedValues() throws {
        let cell = try NB101Cell(
            adjacencyDigits: "0100110001000000010010000010000001000000010000000",
            opsField: "input|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output")
        let stats = NB101CellStatistics()
        XCTAssertEqual(stats.featureCount, 11)
        let v = stats.encode(cell)
        XCTAssertEqual(v.count, 11)
        XCTAssertEqual(v[0], log10(8_555_530), accuracy: 1e-12)  // the table's params column
        XCTAssertEqual(v[1], log10(Double(NB101Network.cifar10.flops(cell))), accuracy: 1e-12)
        XCTAssertEqual(Array(v[2...]), [3, 1, 1, 7, 9, 5, 2, 3, 2])
        // A chain input → conv3x3 → output: one path of 2 edges.
        XCTAssertEqual(Array(try stats.encode(chain())[2...]), [1, 0, 0, 3, 2, 2, 1, 1, 0])
    }

    func testStandardizer() throws {
        let x = try FeatureMatrix([[1, 5, 2], [3, 5, 4], [5, 5, 9]])
        let s = try Standardizer(fitting: x)
        XCTAssertEqual(s.means, [3, 5, 5])
        XCTAssertEqual(s.scales[0], (8.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(s.scales[1], 1)  // constant column
        let z = try s.transform(x)
        for j in 0..<3 {
            let column = (0..<3).map { z[$0, j] }
            XCTAssertEqual(column.reduce(0, +), 0, accuracy: 1e-12)
            if j != 1 { XCTAssertEqual(column.map { $0 * $0 }.reduce(0, +) / 3, 1, accuracy: 1e-12) }
        }
        let other = try s.transform(FeatureMatrix([[3, 6, 5]]))
        XCTAssertEqual(other.values, [0, 1, 0])
        XCTAssertThrowsError(try s.transform(FeatureMatrix([[1, 2]])))
        XCTAssertThrowsError(try Standardizer(fitting: FeatureMatrix([])))
        XCTAssertThrowsError(try FeatureMatrix([[1, 2], [3]]))
    }
}
