import Foundation
import XCTest
@testable import ArtifactStore

/// gc keeps everything reachable from the roots (through trees), deletes the
/// rest, respects dry runs and the store lock.
final class GarbageCollectionTests: XCTestCase {
    private struct Fixture {
        let store: DiskBlobStore
        let tree: Digest
        let treeContents: Set<Digest>   // tree, subtree manifests and their files
        let keptFile: Digest
        let garbage: Set<Digest>
    }

    private func makeFixture() throws -> Fixture {
        let base = try makeTempDirectory(self, "gc")
        let store = DiskBlobStore(root: base.appendingPathComponent("store"))
        let source = base.appendingPathComponent("src")
        try writeFile(Data("top".utf8), to: source.appendingPathComponent("top.txt"))
        try writeFile(Data("deep".utf8), to: source.appendingPathComponent("sub/inner/deep.txt"))
        let tree = try store.putTree(directory: source)
        var contents: Set<Digest> = [tree]
        var stack = [tree]
        while let next = stack.popLast() {
            for entry in try store.readTree(next)?.entries ?? [] {
                contents.insert(entry.digest)
                if entry.kind == .tree { stack.append(entry.digest) }
            }
        }
        XCTAssertEqual(contents.count, 5, "root, sub, sub/inner manifests and two files")
        let keptFile = try store.put("a root that is a plain file")
        let garbage: Set<Digest> = [try store.put("orphan 1"), try store.put(TestBytes(seed: 11).mixedCopy(100_000))]
        return Fixture(store: store, tree: tree, treeContents: contents, keptFile: keptFile, garbage: garbage)
    }

    func testKeepsReachableAndDeletesUnreachable() throws {
        let f = try makeFixture()
        let report = try f.store.collectGarbage(roots: [f.tree, f.keptFile], dryRun: false)
        XCTAssertEqual(Set(report.deleted), f.garbage)
        XCTAssertGreaterThan(report.deletedBytes, 0)
        XCTAssertEqual(report.reachable, f.treeContents.count + 1)
        for digest in f.treeContents.union([f.keptFile]) {
            XCTAssertTrue(f.store.contains(digest), "\(digest) is reachable and must survive")
        }
        for digest in f.garbage { XCTAssertFalse(f.store.contains(digest)) }
        XCTAssertTrue(try f.store.verify().isClean)
        // The tree still exports after gc.
        try f.store.export(f.tree, to: try makeTempDirectory(self, "export").appendingPathComponent("t"))
    }

    func testDryRunDeletesNothing() throws {
        let f = try makeFixture()
        let tmp = f.store.root.appendingPathComponent("tmp/put-dead-writer.tmp")
        try writeFile(Data("partial".utf8), to: tmp)
        let everything = try f.store.enumerateObjects().objects
        let report = try f.store.collectGarbage(roots: [f.tree], dryRun: true)
        XCTAssertTrue(report.dryRun)
        XCTAssertEqual(Set(report.deleted), f.garbage.union([f.keptFile]))
        XCTAssertEqual(report.staleTempFiles, 1)
        XCTAssertEqual(try f.store.enumerateObjects().objects, everything)
        XCTAssertTrue(FileManager.default.fileExists(atPath: tmp.path))
    }

    func testRemovesStaleTempFilesAndReportsMissingRoots() throws {
        let f = try makeFixture()
        let tmp = f.store.root.appendingPathComponent("tmp/put-dead-writer.tmp")
        try writeFile(Data("partial".utf8), to: tmp)
        let absent = Digest.sha256(Data("never stored".utf8))
        let report = try f.store.collectGarbage(roots: [f.tree, absent], dryRun: false)
        XCTAssertEqual(report.missing, [absent])
        XCTAssertEqual(report.staleTempFiles, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp.path))
    }

    func testEmptyRootSetDeletesEverything() throws {
        let f = try makeFixture()
        let report = try f.store.collectGarbage(roots: [], dryRun: false)
        XCTAssertEqual(report.deleted.count, f.treeContents.count + 1 + f.garbage.count)
        XCTAssertEqual(try f.store.enumerateObjects().objects, [])
    }

    func testCorruptTreeRootAbortsInsteadOfGuessing() throws {
        let f = try makeFixture()
        let path = f.store.objectPath(for: f.tree)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try f.store.collectGarbage(roots: [f.tree], dryRun: false))
        for digest in f.treeContents.subtracting([f.tree]) { XCTAssertTrue(f.store.contains(digest)) }
    }

    func testGcWaitsForSharedHoldersAndTryVariantReportsBusy() throws {
        let f = try makeFixture()
        let run = try StoreLock.acquire(.shared, root: f.store.root)
        XCTAssertNotNil(try StoreLock.tryAcquire(.shared, root: f.store.root), "shared holders coexist")
        XCTAssertNil(try StoreLock.tryAcquire(.exclusive, root: f.store.root))
        assertStoreError(try f.store.collectGarbage(roots: [], dryRun: false, wait: false)) {
            if case .storeBusy = $0 { return true } else { return false }
        }
        XCTAssertEqual(try f.store.enumerateObjects().objects.count, f.treeContents.count + 1 + f.garbage.count)

        // A blocking gc proceeds as soon as the run releases its shared lock;
        // roots are read only once the exclusive lock is held.
        let rootsRead = expectation(description: "roots evaluated")
        let finished = expectation(description: "gc finished")
        let store = f.store, tree = f.tree
        DispatchQueue.global().async {
            _ = try? store.collectGarbage(dryRun: false) {
                rootsRead.fulfill()
                return [tree]
            }
            finished.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertTrue(store.contains(f.keptFile), "gc must not run while the shared lock is held")
        run.release()
        wait(for: [rootsRead, finished], timeout: 30)
        XCTAssertFalse(store.contains(f.keptFile))
        XCTAssertTrue(store.contains(tree))
    }

    func testReachabilityWorksOnAnyBlobStore() throws {
        let store = MemoryBlobStore()
        let file = try store.put("leaf")
        let sub = try store.put("nasbook-tree v1\nfile 644 4 \(file) leaf\n")
        let top = try store.put("nasbook-tree v1\ntree 755 \(try store.size(of: sub)) \(sub) sub\n")
        let orphan = try store.put("orphan")
        let (reachable, missing) = try store.reachableDigests(from: [top])
        XCTAssertEqual(reachable, [top, sub, file])
        XCTAssertEqual(missing, [])
        XCTAssertFalse(reachable.contains(orphan))
    }
}
