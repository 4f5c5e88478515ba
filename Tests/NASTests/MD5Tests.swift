import Numerics
import XCTest
@testable import NAS

final class MD5Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(MD5.digest([]).hex, "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(MD5.digest(Array("abc".utf8)).hex, "900150983cd24fb0d6963f7d28e17f72")
    }

    /// Every length from 0 to 300 bytes (1–6 blocks, all padding cases)
    /// against swift-crypto's MD5.
    func testMatchesSwiftCryptoForAllShortLengths() {
        var rng = SplitMix64(seed: 11)
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            XCTAssertEqual(MD5.digest(bytes), MD5.referenceDigest(bytes), "length \(length)")
        }
    }
}
