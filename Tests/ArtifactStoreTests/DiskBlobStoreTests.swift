import Foundation
import XCTest
@testable import ArtifactStore

/// Behaviour specific to the on-disk layout: object paths, zstd framing,
/// corruption detection and temp-file hygiene.
final class DiskBlobStoreTests: XCTestCase {
    private func makeStore(level: Int = 3) throws -> DiskBlobStore {
        DiskBlobStore(root: try makeTempDirectory(self, "disk"), compressionLevel: level)
    }

    func testObjectLivesAtFanOutPathAsOneChecksummedZstdFrame() throws {
        let store = try makeStore()
        let digest = try store.put("hello\n")
        let expected = store.root.path
            + "/objects/sha256/58/91b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
        XCTAssertEqual(store.objectPath(for: digest), expected)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: expected)))
        XCTAssertEqual(Array(bytes.prefix(4)), [0x28, 0xB5, 0x2F, 0xFD], "zstd frame magic")
        XCTAssertEqual(bytes[4] & 0x04, 0x04, "content checksum flag set in the frame header descriptor")
        XCTAssertEqual(listing(store.root.appendingPathComponent("tmp")), [], "no temp files after a put")
    }

    func testCompressibleContentIsCompressedAndLevelIsHonoured() throws {
        var gen = TestBytes(seed: 6)
        let text = Data((0..<100_000).map { "row \($0),\(gen.next() % 1000),0.\(gen.next() % 10_000)\n" }.joined().utf8)
        var sizes: [Int] = []
        for level in [1, 19] {
            let store = try makeStore(level: level)
            let digest = try store.put(text)
            let attributes = try FileManager.default.attributesOfItem(atPath: store.objectPath(for: digest))
            sizes.append((attributes[.size] as? Int) ?? -1)
            XCTAssertEqual(try store.get(digest), text)
        }
        XCTAssertLessThan(sizes[0], text.count * 3 / 4, "level 1 must still compress numeric text")
        XCTAssertLessThan(sizes[1], sizes[0], "level 19 must compress smaller than level 1")
    }

    /// Flips one byte at several positions of a stored object; every read path must refuse it.
    func testFlippedByteIsDetectedByGetAndVerify() throws {
        let store = try makeStore()
        let data = TestBytes(seed: 7).mixedCopy(500_000)
        let digest = try store.put(data)
        let path = store.objectPath(for: digest)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let out = try makeTempDirectory(self, "out")
        for position in [0, 5, original.count / 2, original.count - 1] {
            var damaged = original
            damaged[position] ^= 0x40
            try replaceObject(at: path, with: damaged)
            assertStoreError(try store.get(digest), "byte \(position)") { error in
                guard case .objectCorrupt(let d, let p, _) = error else { return false }
                return d == digest && p == path && "\(error)".contains(path) && "\(error)".contains(digest.description)
            }
            assertStoreError(try store.get(digest, to: out.appendingPathComponent("x")), "byte \(position)") {
                if case .objectCorrupt = $0 { return true } else { return false }
            }
            XCTAssertEqual(listing(out), [], "nothing may be written from a corrupt object")
            let report = try store.verify()
            XCTAssertEqual(report.corrupt.map(\.digest), [digest], "byte \(position)")
            XCTAssertFalse(report.isClean)
        }
        try replaceObject(at: path, with: original)
        XCTAssertTrue(try store.verify().isClean)
    }

    func testTruncatedAndPaddedObjectsAreCorrupt() throws {
        let store = try makeStore()
        let data = TestBytes(seed: 8).mixedCopy(300_000)
        let digest = try store.put(data)
        let path = store.objectPath(for: digest)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        for damaged in [original.prefix(original.count - 3), original.prefix(10), Data(),
                        original + Data([0]), original + original] {
            try replaceObject(at: path, with: Data(damaged))
            assertStoreError(try store.get(digest), "length \(damaged.count)") {
                if case .objectCorrupt(let d, _, _) = $0 { return d == digest } else { return false }
            }
            XCTAssertEqual(try store.verify(digests: [digest]).corrupt.count, 1)
        }
    }

    /// Objects of 8 MiB and more are decompressed on a helper thread; damage must still be caught.
    func testDamageInLargeObjectIsDetectedByPipelinedReader() throws {
        let store = try makeStore()
        let data = TestBytes(seed: 12).mixedCopy(12_000_000)
        let digest = try store.put(data)
        XCTAssertGreaterThanOrEqual(Int64(data.count), ObjectDecoder.pipelineThreshold)
        XCTAssertEqual(try store.get(digest), data)
        let path = store.objectPath(for: digest)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var flipped = original
        flipped[original.count * 2 / 3] ^= 0x01
        let out = try makeTempDirectory(self, "out")
        for damaged in [flipped, original.prefix(original.count / 2), original + Data([1, 2, 3])] {
            try replaceObject(at: path, with: Data(damaged))
            assertStoreError(try store.get(digest)) {
                if case .objectCorrupt(let d, _, _) = $0 { return d == digest } else { return false }
            }
            assertStoreError(try store.get(digest, to: out.appendingPathComponent("big"))) {
                if case .objectCorrupt = $0 { return true } else { return false }
            }
            XCTAssertEqual(listing(out), [])
            XCTAssertEqual(try store.verify().corrupt.map(\.digest), [digest])
        }
    }

    /// A sink that fails stops the helper thread and surfaces its own error.
    func testSinkErrorStopsPipelinedRead() throws {
        struct Stop: Error {}
        let store = try makeStore()
        let digest = try store.put(TestBytes(seed: 13).mixedCopy(20_000_000))
        var calls = 0
        XCTAssertThrowsError(try store.read(digest) { _ in
            calls += 1
            if calls == 2 { throw Stop() }
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(calls, 2)
        XCTAssertTrue(try store.verify().isClean)
    }

    /// An object whose content is valid zstd but hashes to another digest (e.g. a misfiled object).
    func testObjectFiledUnderWrongDigestIsCorrupt() throws {
        let store = try makeStore()
        let a = try store.put("content a")
        let b = try store.put("content b")
        try replaceObject(at: store.objectPath(for: b),
                          with: try Data(contentsOf: URL(fileURLWithPath: store.objectPath(for: a))))
        assertStoreError(try store.get(b)) { error in
            guard case .objectCorrupt(let d, _, let reason) = error else { return false }
            return d == b && reason.contains(a.description)
        }
    }

    func testVerifyReportsMissingRequestedDigestsAndCountsBytes() throws {
        let store = try makeStore()
        let present = try store.put(TestBytes(seed: 9).mixedCopy(1_000_000))
        let absent = Digest.sha256(Data("absent".utf8))
        let report = try store.verify(digests: [present, absent])
        XCTAssertEqual(report.verified, 1)
        XCTAssertEqual(report.verifiedBytes, 1_000_000)
        XCTAssertEqual(report.missing, [absent])
        XCTAssertFalse(report.isClean)
    }

    func testSkipsRewriteOfExistingObject() throws {
        let store = try makeStore()
        let digest = try store.put("keep me")
        let path = store.objectPath(for: digest)
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        _ = try store.put("keep me")
        let file = try makeTempDirectory(self, "file").appendingPathComponent("f")
        try Data("keep me".utf8).write(to: file)
        XCTAssertEqual(try store.put(file: file), digest)
        let after = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        XCTAssertEqual(before, after, "an existing valid object must not be replaced")
        XCTAssertEqual(listing(store.root.appendingPathComponent("tmp")), [])
    }

    /// Objects are read-only on disk; tests that damage them must lift that first.
    private func replaceObject(at path: String, with data: Data) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try data.write(to: URL(fileURLWithPath: path))
    }
}
