import Foundation
import XCTest
@testable import ArtifactStore

/// Deterministic test content: a SplitMix64 stream, so every run stores the same bytes.
struct TestBytes {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` bytes that are half CSV-like text (compressible) and half random, in 64 KiB runs.
    mutating func mixed(_ count: Int) -> Data {
        var out = Data(capacity: count)
        var row = 0
        while out.count < count {
            if (out.count / 65_536) % 2 == 0 {
                let line = "\(row),\(next() % 1000),0.\(next() % 100_000)\n"
                out.append(contentsOf: line.utf8)
                row += 1
            } else {
                withUnsafeBytes(of: next()) { out.append(contentsOf: $0) }
            }
        }
        return out.prefix(count)
    }
}

/// A fresh temporary directory, removed when the test case finishes.
func makeTempDirectory(_ test: XCTestCase, _ name: String = "store") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("nasbook-tests-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Writes `data` to `url`, creating parent directories.
func writeFile(_ data: Data, to url: URL, executable: Bool = false) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url)
    try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: url.path)
}

/// Every path below `url`, relative and sorted, for comparing directory snapshots.
func listing(_ url: URL) -> [String] {
    let base = url.standardizedFileURL.path
    let paths = FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []
    return paths.sorted()
}

/// Asserts that `body` throws an `ArtifactStoreError` matching `predicate`.
func assertStoreError<T>(_ body: @autoclosure () throws -> T, _ message: String = "",
                         file: StaticString = #filePath, line: UInt = #line,
                         _ predicate: (ArtifactStoreError) -> Bool) {
    do {
        _ = try body()
        XCTFail("expected an ArtifactStoreError \(message)", file: file, line: line)
    } catch let error as ArtifactStoreError {
        XCTAssertTrue(predicate(error), "unexpected error: \(error) \(message)", file: file, line: line)
    } catch {
        XCTFail("expected an ArtifactStoreError, got \(error) \(message)", file: file, line: line)
    }
}
