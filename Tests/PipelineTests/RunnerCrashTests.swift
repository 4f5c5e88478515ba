import Foundation
import XCTest
import Provenance
@testable import Pipeline

/// The real `nasbook` binary killed with SIGKILL mid-run: the store must still
/// verify, and the next run must complete.
final class RunnerCrashTests: XCTestCase {
    /// The built `nasbook` executable beside the test bundle (as in CrashSafetyTests).
    private func nasbookBinary() throws -> URL {
        var candidates: [URL] = []
        let bundle = Bundle(for: RunnerCrashTests.self).bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("nasbook"))
        let argv0 = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).standardizedFileURL
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("nasbook"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw XCTSkip("nasbook binary not found beside the test bundle (build the nasbook product first)")
    }

    private func launch(_ binary: URL, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func runToEnd(_ binary: URL, _ arguments: [String]) throws -> Int32 {
        let process = try launch(binary, arguments)
        process.waitUntilExit()
        return process.terminationStatus
    }

    func testKillNineMidRunLeavesAVerifiableStoreAndTheNextRunCompletes() throws {
        let binary = try nasbookBinary()
        let fixture = try RunnerFixture()
        defer { fixture.remove() }
        try fixture.writeRepoFile("pipelines/slow.md", """
            ```stage big
            run: head -c 3000000 /dev/zero | tr '\\0' 'a' > big.txt
            outputs: [big.txt]
            ```

            ```stage slow
            run: sleep 1; wc -c < inputs/big/big.txt > n.txt
            needs: [big]
            outputs: [n.txt]
            ```
            """)
        let store = fixture.storeRoot.path
        let common = ["--store", store, "--repo", fixture.repo.path]
        let tmp = fixture.storeRoot.appendingPathComponent("tmp")

        // Kill right after launch, and while the slow stage runs.
        for phase in ["early", "slow"] {
            let process = try launch(binary, ["run", "slow", "--jobs", "1"] + common)
            if phase == "early" {
                Thread.sleep(forTimeInterval: 0.05)
            } else {
                let deadline = Date().addingTimeInterval(20)
                func slowStarted() -> Bool {
                    let runs = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
                    return runs.contains { FileManager.default.fileExists(atPath: tmp.appendingPathComponent("\($0)/slow").path) }
                }
                while !slowStarted() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                XCTAssertTrue(slowStarted(), "the slow stage never started")
                Thread.sleep(forTimeInterval: 0.2)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(try runToEnd(binary, ["verify", "--store", store]), 0, "verify after kill (\(phase))")
        }
        XCTAssertEqual(try runToEnd(binary, ["run", "slow"] + common), 0, "re-run after kills")
        XCTAssertEqual(try runToEnd(binary, ["verify", "--store", store]), 0)
        XCTAssertEqual(try runToEnd(binary, ["gc"] + common.prefix(2)), 0, "gc clears stale scratch")
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).filter { $0.hasPrefix("run-") }
        XCTAssertEqual(left, [])
        // The re-run recorded both stages; a further run is all cache hits.
        let pipeline = try fixture.validate(try String(contentsOf: fixture.repo.appendingPathComponent("pipelines/slow.md"),
                                                       encoding: .utf8))
        let statuses = try fixture.runner().status(of: pipeline, name: "slow")
        XCTAssertEqual(statuses.map(\.state), [.upToDate, .upToDate])
    }

    func testInterruptStopsStagesRecordsWhatFinishedAndExits130() throws {
        let binary = try nasbookBinary()
        let fixture = try RunnerFixture()
        defer { fixture.remove() }
        try fixture.writeRepoFile("pipelines/int.md", """
            ```stage fast
            op: text.write
            with:
              text: hi
            ```

            ```stage slow
            run: sleep 60; echo late > out.txt
            outputs: [out.txt]
            ```
            """)
        let tmp = fixture.storeRoot.appendingPathComponent("tmp")
        let process = try launch(binary, ["run", "int", "--jobs", "2", "--store", fixture.storeRoot.path,
                                          "--repo", fixture.repo.path])
        let deadline = Date().addingTimeInterval(20)
        func slowStarted() -> Bool {
            let runs = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
            return runs.contains { FileManager.default.fileExists(atPath: tmp.appendingPathComponent("\($0)/slow").path) }
        }
        while !slowStarted() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        let runs = try Ledger(storeRoot: fixture.storeRoot).runs(pipeline: "int")
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs.first?.records.map(\.stage), ["fast"], "the cancelled stage is not recorded")
        XCTAssertEqual(runs.first?.message, "run int: 1 executed, 0 cached, 0 failed (interrupted)")
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).filter { $0.hasPrefix("run-") }
        XCTAssertEqual(left, [], "scratch removed on interrupt")
    }
}
