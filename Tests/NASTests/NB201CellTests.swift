import XCTest
@testable import NAS

final class NB201CellTests: XCTestCase {
    func testStringRoundTripAndCanonicalIndexForAllCells() throws {
        let all = NB201Cell.all
        XCTAssertEqual(all.count, 15_625)
        XCTAssertEqual(Set(all).count, 15_625)
        for (index, cell) in all.enumerated() {
            XCTAssertEqual(cell.canonicalIndex, index)
            XCTAssertEqual(try NB201Cell(string: cell.cellString), cell)
        }
    }

    func testPinnedStringForm() throws {
        let cell = try NB201Cell(ops: [.avgPool3x3, .conv1x1, .skipConnect, .conv1x1, .skipConnect, .skipConnect])
        XCTAssertEqual(cell.cellString,
                       "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|")
        XCTAssertEqual(cell.op(from: 1, to: 2), .skipConnect)
        XCTAssertEqual(cell.op(from: 0, to: 3), .conv1x1)
        XCTAssertNil(cell.op(from: 3, to: 0))
        XCTAssertEqual(try NB201Cell(canonicalIndex: 0).ops, Array(repeating: .none, count: 6))
        XCTAssertEqual(try NB201Cell(canonicalIndex: 15_624).ops, Array(repeating: .avgPool3x3, count: 6))
        XCTAssertEqual(try NB201Cell(canonicalIndex: 7).ops, [.none, .none, .none, .none, .skipConnect, .conv1x1])
    }

    func testParseErrorsNameTheOffendingToken() {
        let cases: [(String, String)] = [
            ("|none~0|+|none~0|none~1|", "token '|none~0|+|none~0|none~1|': 2 '+'-separated node groups, expected 3"),
            ("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", "token 'conv~0': unknown op 'conv'"),
            ("|none~0|+|none~0|none~2|+|none~0|none~1|none~2|", "token 'none~2': source must be 1 at this position"),
            ("|none~0|+|none~0|none1|+|none~0|none~1|none~2|", "token 'none1': expected 'op~source'"),
            ("|none~0|+|none~0|+|none~0|none~1|none~2|", "token '|none~0|': node 2 needs 2 incoming edges, found 1"),
            ("none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "token 'none~0|': node group must start and end with '|'"),
        ]
        for (text, suffix) in cases {
            XCTAssertThrowsError(try NB201Cell(string: text)) { error in
                XCTAssertEqual("\(error)", "invalid NAS-Bench-201 cell '\(text)': \(suffix)")
            }
        }
        XCTAssertThrowsError(try NB201Cell(canonicalIndex: 15_625))
        XCTAssertThrowsError(try NB201Cell(ops: [.none]))
    }

    /// Degeneracy checked against the four input→output paths written out.
    func testDegenerateCellsAreThoseWithEveryPathCut() {
        let paths = [[3], [0, 4], [1, 5], [0, 2, 5]]  // edge slots of 0→3, 0→1→3, 0→2→3, 0→1→2→3
        var degenerate = 0
        for cell in NB201Cell.all {
            let open = paths.contains { $0.allSatisfy { cell.ops[$0] != .none } }
            XCTAssertEqual(cell.isDegenerate, !open, cell.cellString)
            if cell.isDegenerate { degenerate += 1 }
        }
        XCTAssertGreaterThan(degenerate, 0)
        XCTAssertLessThan(degenerate, 15_625)
    }

    /// arch 0 of the table, counted by hand: 2 conv1x1 per cell.
    func testParameterCountAndFlopsByHand() throws {
        let cell = try NB201Cell(ops: [.avgPool3x3, .conv1x1, .skipConnect, .conv1x1, .skipConnect, .skipConnect])
        let net = NB201Network.cifar10
        let cells = 5 * 2 * ((256 + 32) + (1024 + 64) + (4096 + 128))
        let stem = 27 * 16 + 32
        let res1 = 9 * 16 * 32 + 64 + 9 * 32 * 32 + 64 + 16 * 32
        let res2 = 9 * 32 * 64 + 128 + 9 * 64 * 64 + 128 + 32 * 64
        XCTAssertEqual(net.parameterCount(cell), cells + stem + res1 + res2 + 128 + 650)
        XCTAssertEqual(net.parameterCount(cell), 129_306)
        let cellFlops = 5 * 2 * (256 * 1024 + 1024 * 256 + 4096 * 64)
        let flops = 27 * 16 * 1024 + (9 * 16 * 32 + 9 * 32 * 32 + 16 * 32) * 256
            + (9 * 32 * 64 + 9 * 64 * 64 + 32 * 64) * 64 + 640
        XCTAssertEqual(net.flops(cell), cellFlops + flops)
    }
}
