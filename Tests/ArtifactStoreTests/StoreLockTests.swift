import Foundation
import XCTest
@testable import ArtifactStore

/// Shared holders coexist; an exclusive holder excludes everyone; release and
/// deinit give the lock back.
final class StoreLockTests: XCTestCase {
    func testExclusiveExcludesSharedAndReleaseGivesItBack() throws {
        let root = try makeTempDirectory(self, "lock")
        let gc = try XCTUnwrap(try StoreLock.tryAcquire(.exclusive, root: root))
        XCTAssertEqual(gc.path, root.standardizedFileURL.path + "/locks/store.lock")
        XCTAssertNil(try StoreLock.tryAcquire(.shared, root: root))
        XCTAssertNil(try StoreLock.tryAcquire(.exclusive, root: root))
        gc.release()
        gc.release() // idempotent
        let a = try XCTUnwrap(try StoreLock.tryAcquire(.shared, root: root))
        let b = try XCTUnwrap(try StoreLock.tryAcquire(.shared, root: root))
        XCTAssertNil(try StoreLock.tryAcquire(.exclusive, root: root))
        a.release()
        XCTAssertNil(try StoreLock.tryAcquire(.exclusive, root: root), "one shared holder still blocks gc")
        b.release()
        XCTAssertNotNil(try StoreLock.tryAcquire(.exclusive, root: root))
    }

    func testDroppingTheLastReferenceReleases() throws {
        let root = try makeTempDirectory(self, "lock")
        do {
            _ = try StoreLock.acquire(.exclusive, root: root)
        }
        XCTAssertNotNil(try StoreLock.tryAcquire(.exclusive, root: root))
        let value = try StoreLock.withLock(.shared, root: root) { 42 }
        XCTAssertEqual(value, 42)
        XCTAssertNotNil(try StoreLock.tryAcquire(.exclusive, root: root), "withLock releases on return")
    }
}
