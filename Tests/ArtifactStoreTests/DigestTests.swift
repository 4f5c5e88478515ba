import XCTest
@testable import ArtifactStore

final class DigestTests: XCTestCase {
    /// Pinned: SHA-256 of the empty string.
    func testEmptyBlobDigestIsPinned() {
        XCTAssertEqual(Digest.sha256([UInt8]()).description,
                       "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testRoundTripThroughStringForm() throws {
        let d = Digest.sha256(Array("abc".utf8))
        XCTAssertEqual(d.description, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(try Digest.parse(d.description), d)
    }

    func testMalformedStringsAreRejectedWithReason() {
        let bad = ["", "sha256", "sha256:", "md5:" + String(repeating: "a", count: 32),
                   "sha256:" + String(repeating: "a", count: 63),
                   "sha256:" + String(repeating: "A", count: 64),
                   "sha256:" + String(repeating: "g", count: 64),
                   String(repeating: "a", count: 64)]
        for text in bad {
            XCTAssertThrowsError(try Digest.parse(text), text) { error in
                guard case .malformedDigest(let t, _)? = error as? ArtifactStoreError else {
                    return XCTFail("wrong error \(error)")
                }
                XCTAssertEqual(t, text)
            }
        }
    }

    func testStreamingHasherMatchesOneShot() {
        let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var h = DigestHasher()
        h.update(data[..<1234])
        h.update(data[1234...])
        XCTAssertEqual(h.finalize(), Digest.sha256(data))
    }

    func testJSONFormIsTheStringForm() throws {
        let d = Digest.sha256([1, 2, 3])
        let json = try JSONEncoder().encode([d])
        XCTAssertEqual(String(decoding: json, as: UTF8.self), "[\"\(d.description)\"]")
        XCTAssertEqual(try JSONDecoder().decode([Digest].self, from: json), [d])
    }
}
