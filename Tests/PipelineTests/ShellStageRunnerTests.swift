import XCTest
@testable import Pipeline

final class ShellStageRunnerTests: XCTestCase {
    private var work: URL!
    private var log: URL!

    override func setUpWithError() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-shell-\(UUID().uuidString)")
        work = base.appendingPathComponent("work")
        log = base.appendingPathComponent("stage.log")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("inputs/text"),
                                                withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work.deletingLastPathComponent())
    }

    private func stage(_ body: String) throws -> ResolvedStage {
        let text = "```stage s\n\(body)\n```\n"
        return try XCTUnwrap(try Fixtures.pipeline(text).stage(named: "s"))
    }

    func testDemoShellStageUppercasesItsInput() async throws {
        let shout = try XCTUnwrap(try Fixtures.pipeline(Fixtures.demo).stage(named: "shout"))
        try Data("hello\nworld\n".utf8).write(to: work.appendingPathComponent("inputs/text/out.txt"))
        let outputs = try await ShellStageRunner().run(shout, in: work, environment: ["LANG": "C"], logFile: log)
        XCTAssertEqual(outputs.map(\.lastPathComponent), ["loud.txt"])
        XCTAssertEqual(try String(contentsOf: outputs[0], encoding: .utf8), "HELLO\nWORLD\n")
    }

    func testEnvironmentIsOnlyPathDeclaredVariablesAndParams() async throws {
        let s = try stage("run: env | sort > env.txt\nenv: [LANG, UNSET]\noutputs: [env.txt]\nwith: {train_size: 424}")
        let outputs = try await ShellStageRunner().run(s, in: work, environment: ["LANG": "C", "HOME": "/nope"],
                                                       logFile: log)
        let lines = try String(contentsOf: outputs[0], encoding: .utf8).split(separator: "\n").map(String.init)
        // The shell may add its own PWD/SHLVL/_; nothing from the caller besides what was declared.
        let ours = lines.filter { !$0.hasPrefix("PWD=") && !$0.hasPrefix("SHLVL=") && !$0.hasPrefix("_=") && !$0.hasPrefix("OLDPWD=") }
        XCTAssertEqual(ours, ["LANG=C", "NASBOOK_PARAM_TRAIN_SIZE=424", "PATH=\(ShellStageRunner.path)"])
    }

    func testFailureAndMissingOutput() async throws {
        let failing = try stage("run: echo oops >&2; exit 3\noutputs: [x]")
        do {
            _ = try await ShellStageRunner().run(failing, in: work, environment: [:], logFile: log)
            XCTFail("expected failure")
        } catch {
            XCTAssertEqual("\(error)", "stage 's': command exited with status 3: oops")
        }
        let lazy = try stage("run: \"true\"\noutputs: [x]")
        do {
            _ = try await ShellStageRunner().run(lazy, in: work, environment: [:], logFile: log)
            XCTFail("expected missing output")
        } catch {
            XCTAssertEqual("\(error)", "stage 's': declared output 'x' was not written")
        }
    }

    func testCancellationTerminatesTheCommand() async throws {
        // A regression costs at most the sleep; it is not a timing assertion.
        let slow = try stage("run: sleep 30\noutputs: [x]")
        let runner = ShellStageRunner()
        let work = self.work!, log = self.log!
        let task = Task { try await runner.run(slow, in: work, environment: [:], logFile: log) }
        // Give the process a chance to start; correctness does not depend on it.
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
    }
}
