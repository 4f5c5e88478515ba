import Foundation
import XCTest
@testable import ArtifactStore

/// The canonical manifest format and the safety of exporting manifests
/// that were crafted by hand.
final class TreeTests: XCTestCase {
    private let hello = Digest("sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")!

    func testManifestEncodingIsCanonicalAndSortedByBytes() throws {
        let tree = try Tree(entries: [
            TreeEntry(name: "b", kind: .file, mode: 0o755, size: 6, digest: hello),
            TreeEntry(name: "B", kind: .file, mode: 0o644, size: 6, digest: hello),
            TreeEntry(name: "a b", kind: .tree, mode: 0o755, size: 6, digest: hello),
        ])
        let expected = """
            nasbook-tree v1
            file 644 6 \(hello) B
            tree 755 6 \(hello) a b
            file 755 6 \(hello) b

            """
        XCTAssertEqual(String(decoding: tree.encoded(), as: UTF8.self), expected)
        XCTAssertEqual(try Tree.decode(tree.encoded()), tree)
    }

    /// Pinned digest of the manifest of a directory holding one file `a.txt` = "hello\n".
    func testManifestDigestIsPinned() throws {
        let store = MemoryBlobStore()
        let dir = try makeTempDirectory(self, "pinned")
        try writeFile(Data("hello\n".utf8), to: dir.appendingPathComponent("a.txt"))
        let digest = try store.putTree(directory: dir)
        let manifest = "nasbook-tree v1\nfile 644 6 \(hello) a.txt\n"
        XCTAssertEqual(try store.get(digest), Data(manifest.utf8))
        XCTAssertEqual(digest, Digest.sha256(Data(manifest.utf8)))
    }

    func testNonCanonicalManifestsAreRejected() {
        let good = "file 644 6 \(hello)"
        let bad = [
            "nasbook-tree v2\n",
            "nasbook-tree v1",                                        // no final newline
            "nasbook-tree v1\n\(good) b\n\(good) a\n",                // unsorted
            "nasbook-tree v1\n\(good) a\n\(good) a\n",                // duplicate
            "nasbook-tree v1\nlink 644 6 \(hello) a\n",               // unknown kind
            "nasbook-tree v1\nfile 600 6 \(hello) a\n",               // mode not allowed
            "nasbook-tree v1\nfile 0644 6 \(hello) a\n",              // non-canonical mode
            "nasbook-tree v1\ntree 644 6 \(hello) a\n",               // tree must be 755
            "nasbook-tree v1\nfile 644 -1 \(hello) a\n",              // negative size
            "nasbook-tree v1\nfile 644 06 \(hello) a\n",              // non-canonical size
            "nasbook-tree v1\nfile 644 6 sha256:00 a\n",              // bad digest
            "nasbook-tree v1\nfile 644 6 \(hello)\n",                 // missing name
            "nasbook-tree v1\n\n",                                    // empty line
        ]
        for text in bad {
            XCTAssertThrowsError(try Tree.decode(Data(text.utf8)), text.debugDescription)
        }
    }

    func testUnsafeNamesAreRejected() {
        let names = ["", ".", "..", "../evil", "a/b", "/abs", "/", "a\0b", "a\nb", "x\r",
                     String(repeating: "n", count: 256)]
        for name in names {
            assertStoreError(try TreeEntry.validate(name: name), name.debugDescription) {
                if case .invalidEntryName = $0 { return true } else { return false }
            }
        }
        for name in ["...", ".hidden", "a b", "é", "a..b", String(repeating: "n", count: 255)] {
            XCTAssertNoThrow(try TreeEntry.validate(name: name), name)
        }
    }

    /// Hand-crafted manifests naming `../evil` (directly, or inside a nested
    /// tree) must fail on export and leave nothing outside the target.
    func testExportOfMaliciousManifestWritesNothingOutsideTarget() throws {
        let sandbox = try makeTempDirectory(self, "malicious")
        let store = DiskBlobStore(root: sandbox.appendingPathComponent("store"))
        let payload = try store.put("pwned\n")
        let line = { (name: String) in "file 644 6 \(payload) \(name)\n" }
        var manifests = ["../evil", "..", "/tmp/evil-abs", "sub/../../evil", "."].map {
            "nasbook-tree v1\n" + line($0)
        }
        // A valid top level whose subtree is malicious.
        let inner = try store.put("nasbook-tree v1\n" + line("../../evil"))
        let innerSize = try store.size(of: inner)
        manifests.append("nasbook-tree v1\ntree 755 \(innerSize) \(inner) sub\n")

        for (index, manifest) in manifests.enumerated() {
            let digest = try store.put(manifest)
            let target = sandbox.appendingPathComponent("work\(index)/target")
            let before = listing(sandbox).filter { !$0.hasPrefix("store") }
            XCTAssertThrowsError(try store.export(digest, to: target), manifest.debugDescription) { error in
                guard let e = error as? ArtifactStoreError else { return XCTFail("\(error)") }
                switch e {
                case .invalidEntryName, .malformedTree: break
                default: XCTFail("unexpected \(e)")
                }
            }
            let after = listing(sandbox).filter { !$0.hasPrefix("store") }
            let outside = Set(after).subtracting(before).filter { !$0.hasPrefix("work\(index)/target") && $0 != "work\(index)" }
            XCTAssertEqual(outside, [], manifest.debugDescription)
            XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.appendingPathComponent("evil").path))
            XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.appendingPathComponent("work\(index)/evil").path))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/evil-abs"))
    }

    func testTreeEntryWithLyingSizeIsRejectedOnExport() throws {
        let store = MemoryBlobStore()
        let payload = try store.put("hello\n")
        let digest = try store.put("nasbook-tree v1\nfile 644 999 \(payload) a\n")
        let dir = try makeTempDirectory(self, "lying")
        assertStoreError(try store.export(digest, to: dir.appendingPathComponent("t"))) {
            if case .malformedTree = $0 { return true } else { return false }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t/a").path))
    }

    func testSymlinksInsideTreesAreRejected() throws {
        let store = MemoryBlobStore()
        let dir = try makeTempDirectory(self, "symlink")
        try writeFile(Data("x".utf8), to: dir.appendingPathComponent("real"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link").path,
                                                   withDestinationPath: "real")
        assertStoreError(try store.putTree(directory: dir)) {
            if case .unsupportedFileType(let p) = $0 { return p.hasSuffix("/link") } else { return false }
        }
    }

    func testFileThatStartsLikeAManifestIsNotATree() throws {
        let store = MemoryBlobStore()
        let digest = try store.put("nasbook-tree v1\nthis is just a file\n")
        XCTAssertFalse(try store.isTree(digest))
        XCTAssertThrowsError(try store.readTree(digest))
    }
}
