import Foundation
import XCTest
@testable import ArtifactStore

/// The behaviour every `BlobStore` must show, written once and run against
/// each implementation (see DiskBlobStoreConformanceTests and
/// MemoryBlobStoreConformanceTests). Each check gets a fresh, empty store.
struct BlobStoreConformance<Store: BlobStore> {
    let test: XCTestCase
    let makeStore: () throws -> Store

    /// Pinned SHA-256 values from FIPS 180-2 / coreutils, not from this code.
    func checkPinnedDigests() throws {
        let store = try makeStore()
        XCTAssertEqual(try store.put(Data()).description,
                       "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try store.put("abc").description,
                       "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(try store.put("hello\n").description,
                       "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
    }

    func checkRoundTripOfVariousSizes() throws {
        let store = try makeStore()
        var gen = TestBytes(seed: 1)
        // Empty, tiny, one byte under/over zstd's block size, and past the multi-threading threshold.
        for size in [0, 1, 131_071, 131_073, 6_000_000] {
            let data = gen.mixed(size)
            let digest = try store.put(data)
            XCTAssertEqual(digest, Digest.sha256(data), "size \(size)")
            XCTAssertTrue(store.contains(digest))
            XCTAssertEqual(try store.size(of: digest), Int64(size))
            XCTAssertEqual(try store.get(digest), data, "size \(size)")
        }
    }

    func checkIdenticalContentIsStoredOnce() throws {
        let store = try makeStore()
        let data = Data("same bytes".utf8)
        let first = try store.put(data)
        let second = try store.put(data)
        XCTAssertEqual(first, second)
        XCTAssertEqual(try store.get(first), data)
    }

    func checkPutFileMatchesPutData() throws {
        let store = try makeStore()
        let dir = try makeTempDirectory(test, "conformance")
        var gen = TestBytes(seed: 2)
        for (name, size) in [("small", 10_000), ("large", 12_000_000)] {
            let data = gen.mixed(size)
            let url = dir.appendingPathComponent(name)
            try writeFile(data, to: url)
            let digest = try store.put(file: url)
            XCTAssertEqual(digest, Digest.sha256(data), name)
            XCTAssertEqual(try store.get(digest), data, name)
        }
    }

    func checkGetToFileWritesExactContent() throws {
        let store = try makeStore()
        let dir = try makeTempDirectory(test, "conformance")
        let data = TestBytes(seed: 3).mixedCopy(300_000)
        let digest = try store.put(data)
        let out = dir.appendingPathComponent("out.bin")
        try Data("old contents".utf8).write(to: out)
        try store.get(digest, to: out)
        XCTAssertEqual(try Data(contentsOf: out), data)
        XCTAssertEqual(listing(dir), ["out.bin"], "no temp file may be left beside the target")
    }

    func checkMissingDigestIsReported() throws {
        let store = try makeStore()
        let dir = try makeTempDirectory(test, "conformance")
        let absent = Digest.sha256(Data("never stored".utf8))
        XCTAssertFalse(store.contains(absent))
        func isMissing(_ e: ArtifactStoreError) -> Bool {
            if case .objectMissing(let d, _) = e { return d == absent }
            return false
        }
        assertStoreError(try store.get(absent)) { isMissing($0) }
        assertStoreError(try store.size(of: absent)) { isMissing($0) }
        assertStoreError(try store.get(absent, to: dir.appendingPathComponent("x"))) { isMissing($0) }
        XCTAssertEqual(listing(dir), [])
    }

    func checkConcurrentPutsFromManyThreads() throws {
        let store = try makeStore()
        let blobs = (0..<8).map { TestBytes(seed: UInt64($0 % 3)).mixedCopy(200_000 + $0 % 3) }
        let digests = ResultSlots<Digest>(count: blobs.count)
        DispatchQueue.concurrentPerform(iterations: blobs.count) { i in
            digests[i] = try? store.put(blobs[i])
        }
        for (i, data) in blobs.enumerated() {
            XCTAssertEqual(digests[i], Digest.sha256(data))
            XCTAssertEqual(try store.get(Digest.sha256(data)), data)
        }
    }

    func checkTreeRoundTrip() throws {
        let store = try makeStore()
        let dir = try makeTempDirectory(test, "tree")
        let source = dir.appendingPathComponent("src")
        var gen = TestBytes(seed: 4)
        try writeFile(Data("hello\n".utf8), to: source.appendingPathComponent("a.txt"))
        try writeFile(gen.mixed(5_000_000), to: source.appendingPathComponent("data/weights.bin"))
        try writeFile(Data("#!/bin/sh\necho hi\n".utf8), to: source.appendingPathComponent("data/run.sh"), executable: true)
        try writeFile(Data(), to: source.appendingPathComponent("empty"))
        try writeFile(Data("spaced".utf8), to: source.appendingPathComponent("name with spaces é"))
        try FileManager.default.createDirectory(at: source.appendingPathComponent("nested/deeper/empty-dir"),
                                                withIntermediateDirectories: true)
        let digest = try store.putTree(directory: source)
        XCTAssertTrue(try store.isTree(digest))
        XCTAssertEqual(try store.putTree(directory: source), digest, "the same directory must give the same digest")
        XCTAssertEqual(try store.putArtifact(at: source), digest)

        let out = dir.appendingPathComponent("out")
        try store.export(digest, to: out)
        XCTAssertEqual(listing(out), listing(source))
        for path in listing(source) {
            let a = source.appendingPathComponent(path), b = out.appendingPathComponent(path)
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: a.path, isDirectory: &isDir)
            if !isDir.boolValue { XCTAssertEqual(try Data(contentsOf: a), try Data(contentsOf: b), path) }
        }
        let mode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("data/run.sh").path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o755)
        let plain = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("a.txt").path)[.posixPermissions] as? Int
        XCTAssertEqual(plain, 0o644)

        assertStoreError(try store.export(digest, to: out)) {
            if case .targetExists = $0 { return true } else { return false }
        }
        // A file blob is not a tree and exports as a plain file.
        let file = try store.put("hello\n")
        XCTAssertFalse(try store.isTree(file))
        try store.export(file, to: dir.appendingPathComponent("single.txt"))
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("single.txt"), encoding: .utf8), "hello\n")
    }

    func checkPutFileRejectsDirectories() throws {
        let store = try makeStore()
        let dir = try makeTempDirectory(test, "conformance")
        assertStoreError(try store.put(file: dir)) {
            if case .unsupportedFileType = $0 { return true }
            if case .io = $0 { return true }
            return false
        }
    }

    /// Runs every check; concrete test classes call the checks one by one for clearer reports.
    func checkAll() throws {
        try checkPinnedDigests()
        try checkRoundTripOfVariousSizes()
        try checkIdenticalContentIsStoredOnce()
        try checkPutFileMatchesPutData()
        try checkGetToFileWritesExactContent()
        try checkMissingDigestIsReported()
        try checkConcurrentPutsFromManyThreads()
        try checkTreeRoundTrip()
        try checkPutFileRejectsDirectories()
    }
}

extension TestBytes {
    /// `mixed(count)` on a copy, for use in expressions.
    func mixedCopy(_ count: Int) -> Data {
        var copy = self
        return copy.mixed(count)
    }
}

final class DiskBlobStoreConformanceTests: XCTestCase {
    private var harness: BlobStoreConformance<DiskBlobStore> {
        BlobStoreConformance(test: self) { DiskBlobStore(root: try makeTempDirectory(self, "disk")) }
    }

    func testPinnedDigests() throws { try harness.checkPinnedDigests() }
    func testRoundTripOfVariousSizes() throws { try harness.checkRoundTripOfVariousSizes() }
    func testIdenticalContentIsStoredOnce() throws { try harness.checkIdenticalContentIsStoredOnce() }
    func testPutFileMatchesPutData() throws { try harness.checkPutFileMatchesPutData() }
    func testGetToFileWritesExactContent() throws { try harness.checkGetToFileWritesExactContent() }
    func testMissingDigestIsReported() throws { try harness.checkMissingDigestIsReported() }
    func testConcurrentPutsFromManyThreads() throws { try harness.checkConcurrentPutsFromManyThreads() }
    func testTreeRoundTrip() throws { try harness.checkTreeRoundTrip() }
    func testPutFileRejectsDirectories() throws { try harness.checkPutFileRejectsDirectories() }
}

final class MemoryBlobStoreConformanceTests: XCTestCase {
    private var harness: BlobStoreConformance<MemoryBlobStore> {
        BlobStoreConformance(test: self) { MemoryBlobStore() }
    }

    func testPinnedDigests() throws { try harness.checkPinnedDigests() }
    func testRoundTripOfVariousSizes() throws { try harness.checkRoundTripOfVariousSizes() }
    func testIdenticalContentIsStoredOnce() throws { try harness.checkIdenticalContentIsStoredOnce() }
    func testPutFileMatchesPutData() throws { try harness.checkPutFileMatchesPutData() }
    func testGetToFileWritesExactContent() throws { try harness.checkGetToFileWritesExactContent() }
    func testMissingDigestIsReported() throws { try harness.checkMissingDigestIsReported() }
    func testConcurrentPutsFromManyThreads() throws { try harness.checkConcurrentPutsFromManyThreads() }
    func testTreeRoundTrip() throws { try harness.checkTreeRoundTrip() }
    func testPutFileRejectsDirectories() throws { try harness.checkPutFileRejectsDirectories() }

    func testCorruptedBytesAreDetectedOnRead() throws {
        let store = MemoryBlobStore()
        let digest = try store.put("original")
        store.overwriteStoredBytes(of: digest, with: Data("tampered".utf8))
        assertStoreError(try store.get(digest)) {
            if case .objectCorrupt(let d, _, _) = $0 { return d == digest } else { return false }
        }
    }
}
