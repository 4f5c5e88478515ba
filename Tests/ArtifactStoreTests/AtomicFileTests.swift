import Foundation
import XCTest
@testable import ArtifactStore

/// `AtomicFile`: the one temp-and-rename writer other modules reuse.
final class AtomicFileTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-file-\(UUID().uuidString)")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testCreatesParentsReplacesContentAndLeavesNoTempFiles() throws {
        let path = dir.appendingPathComponent("a/b/index.json").path
        for durable in [false, true] {
            try AtomicFile.write(Data("first".utf8), to: path, durable: durable)
            XCTAssertEqual(FileManager.default.contents(atPath: path), Data("first".utf8))
            try AtomicFile.write(Data("second, longer".utf8), to: path, mode: 0o600, durable: durable)
            XCTAssertEqual(FileManager.default.contents(atPath: path), Data("second, longer".utf8))
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o600)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("a/b").path),
                       ["index.json"], "temp files are renamed or removed")
    }

    func testFailureNamesThePathAndLeavesTheOldFile() throws {
        let path = dir.appendingPathComponent("keep.json").path
        try AtomicFile.write(Data("old".utf8), to: path, durable: false)
        // A directory where the file should go: the rename fails, the temp file is removed.
        let blocked = dir.appendingPathComponent("sub").path
        try FileManager.default.createDirectory(atPath: blocked + "/x", withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write(Data("new".utf8), to: blocked, durable: false)) { error in
            XCTAssertTrue("\(error)".contains(blocked), "\(error)")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("old".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["keep.json", "sub"])
    }
}
