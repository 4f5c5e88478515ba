import Numerics
import XCTest
@testable import NAS

/// `CellEncoding.encode(_:context:)` gives the serial matrix for any thread count.
final class ParallelEncodingTests: XCTestCase {
    func testSameMatrixForAnyThreadCount() throws {
        let cells = Array(try TestData.nb101Table.get().records.prefix(1_000).map(\.cell))
        let encoding = NB101ReNASEncoding()
        let serial = encoding.encode(cells)
        for threads in [1, 2, 3] {
            XCTAssertEqual(encoding.encode(cells, context: ComputeContext(threads: threads)), serial, "\(threads)")
        }
        XCTAssertEqual(NB101PathEncoding().encode(cells, context: ComputeContext(threads: 2)), NB101PathEncoding().encode(cells))
        XCTAssertEqual(encoding.encode([], context: ComputeContext(threads: 2)).rows, 0)
    }

    /// Scoring cells in batches equals scoring the whole encoded matrix.
    func testBatchedCellScoringEqualsWholeMatrix() throws {
        let records = Array(try TestData.nb101Table.get().records.prefix(300))
        let encoding = NB101FlatEncoding()
        var ridge = RidgeRegression()
        try ridge.fit(features: encoding.encode(records.prefix(100).map(\.cell)),
                      labels: records.prefix(100).map(\.validationAccuracy108), seed: 0)
        let cells = records.map(\.cell)
        XCTAssertEqual(try ridge.predict(cells: cells, encoding: encoding, batchSize: 7, encodingThreads: 3),
                       try ridge.predict(features: encoding.encode(cells)))
    }
}
