import Foundation
import XCTest
@testable import ArtifactStore

/// Real processes: a writer killed mid-put must leave no partial object, and
/// concurrent writers of the same or overlapping content must all succeed.
/// These spawn the `nasbook` binary built next to the test bundle.
final class CrashSafetyTests: XCTestCase {
    /// The built `nasbook` executable, searched beside the test bundle.
    private func nasbookBinary() throws -> URL {
        var candidates: [URL] = []
        let bundle = Bundle(for: CrashSafetyTests.self).bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("nasbook"))
        if let executable = Bundle.main.executableURL {
            var dir = executable.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("nasbook"))
                dir = dir.deletingLastPathComponent()
            }
        }
        let argv0 = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).standardizedFileURL
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("nasbook"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate
            }
        }
        throw XCTSkip("nasbook binary not found beside the test bundle (build the nasbook product first)")
    }

    private func launch(_ binary: URL, _ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    func testWriterKilledMidPutLeavesNoPartialObject() throws {
        let binary = try nasbookBinary()
        let base = try makeTempDirectory(self, "kill")
        let storeURL = base.appendingPathComponent("store")
        let store = DiskBlobStore(root: storeURL)
        let data = TestBytes(seed: 21).mixedCopy(40_000_000)
        let file = base.appendingPathComponent("big.bin")
        try writeFile(data, to: file)
        let digest = Digest.sha256(data)

        // Kill at several points: before the lock, while compressing, around the commit.
        for delay in [0.0, 0.01, 0.05, 0.1, 0.2, 0.4] {
            let (process, _) = try launch(binary, ["store", "put", "--store", storeURL.path, file.path])
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let objects = try store.enumerateObjects().objects
            XCTAssertTrue(objects.isEmpty || objects == [digest], "delay \(delay): unexpected objects \(objects)")
            if objects == [digest] {
                XCTAssertEqual(try store.get(digest), data, "a visible object must be complete (delay \(delay))")
                // Remove it so the next kill again races a fresh write.
                _ = try store.collectGarbage(roots: [], dryRun: false)
            }
        }
        // Whatever was left in tmp/ is invisible to readers and cleaned by gc; a later put succeeds.
        XCTAssertEqual(try store.put(file: file), digest)
        XCTAssertTrue(try store.verify().isClean)
        _ = try store.collectGarbage(roots: [digest], dryRun: false)
        XCTAssertEqual(listing(storeURL.appendingPathComponent("tmp")), [])
        XCTAssertEqual(try store.get(digest), data)
    }

    func testConcurrentWriterProcessesOfSameAndOverlappingContentAllSucceed() throws {
        let binary = try nasbookBinary()
        let base = try makeTempDirectory(self, "concurrent")
        let storeURL = base.appendingPathComponent("store")
        var gen = TestBytes(seed: 22)
        let shared = gen.mixed(8_000_000)
        let file = base.appendingPathComponent("shared.bin")
        try writeFile(shared, to: file)
        // Two directories that share one file and differ in another.
        for (dir, own) in [("d1", "one"), ("d2", "two")] {
            try writeFile(shared, to: base.appendingPathComponent("\(dir)/shared.bin"))
            try writeFile(Data(own.utf8), to: base.appendingPathComponent("\(dir)/own.txt"))
        }
        let jobs = [file.path, file.path, file.path,
                    base.appendingPathComponent("d1").path, base.appendingPathComponent("d2").path]
        let launched = try jobs.map { try launch(binary, ["store", "put", "--store", storeURL.path, $0]) }
        var printed: [String] = []
        for (process, output) in launched {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            printed.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let sharedDigest = Digest.sha256(shared).description
        XCTAssertEqual(Array(printed.prefix(3)), [sharedDigest, sharedDigest, sharedDigest])
        let store = DiskBlobStore(root: storeURL)
        let report = try store.verify()
        XCTAssertTrue(report.isClean)
        XCTAssertEqual(report.verified, 5, "one shared file, two own files, two manifests: each stored once")
        XCTAssertEqual(listing(storeURL.appendingPathComponent("tmp")), [])
        for digest in printed.suffix(2) {
            XCTAssertTrue(try store.isTree(Digest.parse(digest)))
        }
    }

    func testCLIErrorsAreOneLineOnStderr() throws {
        let binary = try nasbookBinary()
        let base = try makeTempDirectory(self, "cli")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["store", "cat", "--store", base.path, Digest.sha256(Data()).description]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationStatus, 0)
        XCTAssertTrue(text.hasPrefix("nasbook: error: object sha256:e3b0"), text)
        XCTAssertEqual(text.filter { $0 == "\n" }.count, 1, text)
    }
}
