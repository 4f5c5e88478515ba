import Foundation
import Pipeline
import XCTest

/// `FileDigest`: streamed SHA-256 of external files, in the canonical form.
final class FileDigestTests: XCTestCase {
    func testPinnedDigestsAcrossTheChunkBoundary() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("filedigest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let small = dir.appendingPathComponent("hello")
        try Data("hello".utf8).write(to: small)
        XCTAssertEqual(try FileDigest.sha256(of: small), "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        let empty = dir.appendingPathComponent("empty")
        try Data().write(to: empty)
        XCTAssertEqual(try FileDigest.sha256(of: empty), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // 1 MiB + 1 bytes of 'a' spans two read chunks; pinned with `sha256sum`.
        let large = dir.appendingPathComponent("large")
        try Data(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1).write(to: large)
        XCTAssertEqual(try FileDigest.sha256(of: large), "sha256:" + Self.expectedLarge)
        XCTAssertThrowsError(try FileDigest.sha256(of: dir.appendingPathComponent("missing")))
    }

    static let expectedLarge = "4a3f0c0c213adea174f9a3d4c13177315b588bdb2e9c1012d3d0bf0453ca0f6a"
}
