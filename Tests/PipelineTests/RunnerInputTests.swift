import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// Inputs and outputs through the store: sub-paths, repository files, shell
/// stage capture, report material inside the output tree.
final class RunnerInputTests: XCTestCase {
    private var fixture: RunnerFixture!

    override func setUpWithError() throws { fixture = try RunnerFixture() }
    override func tearDown() { fixture.remove() }

    private let shellPipeline = """
        ```stage make
        run: mkdir -p dir && printf 'alpha' > dir/a.txt && printf 'beta' > dir/b.txt && printf "$PARAM_WORD" > word.txt && echo scratch > ignored.txt
        with:
          word: hello
        outputs: [dir, word.txt]
        ```

        ```stage pick
        op: test.count
        inputs:
          only: make/dir/b.txt
        with:
          value: P
        ```

        ```stage upper
        run: tr a-z A-Z < inputs/src/a.txt > up.txt
        inputs:
          src: make/dir
        outputs: [up.txt]
        ```
        """

    func testShellOutputsAreCapturedAndSubPathsResolveInsideTrees() async throws {
        let result = try await fixture.run(shellPipeline)
        XCTAssertEqual(result.report.failures.map(\.message), [])
        let make = try XCTUnwrap(result.report.outcomes["make"]?.output)
        let tree = try XCTUnwrap(try DiskBlobStore(root: fixture.storeRoot).readTree(make))
        XCTAssertEqual(tree.entries.map(\.name).sorted(), ["dir", "word.txt"], "only declared outputs are kept")
        XCTAssertEqual(try fixture.read(make, "word.txt"), "hello", "params reach the command as PARAM_<NAME>")
        let pick = try XCTUnwrap(result.report.outcomes["pick"]?.output)
        XCTAssertEqual(try fixture.read(pick, "value.txt"), "P|beta")
        let upper = try XCTUnwrap(result.report.outcomes["upper"]?.output)
        XCTAssertEqual(try fixture.read(upper, "up.txt"), "ALPHA")
        // The sub-path input's digest is the file's own digest, recorded as such.
        let record = try XCTUnwrap(result.records.first { $0.stage == "pick" })
        XCTAssertEqual(record.inputs["only"], Digest.sha256(Array("beta".utf8)))
    }

    func testSubPathThatDoesNotExistFailsTheStage() async throws {
        let text = shellPipeline.replacingOccurrences(of: "make/dir/b.txt", with: "make/dir/c.txt")
        let result = try await fixture.run(text)
        let message = try XCTUnwrap(result.report.failures.first { $0.stage == "pick" }?.message)
        XCTAssertTrue(message.contains("no 'c.txt' in the output of 'dir'"), message)
        XCTAssertNotNil(result.report.outcomes["upper"]?.output, "independent branches carry on")
    }

    func testMissingDeclaredOutputFailsWithItsName() async throws {
        let text = """
            ```stage s
            run: echo partial > a.txt; echo oops >&2
            outputs: [a.txt, b.txt]
            ```
            """
        let result = try await fixture.run(text)
        XCTAssertEqual(result.report.failures.map(\.message), ["stage 's': declared output 'b.txt' was not written"])
        XCTAssertEqual(result.records.first?.outcome, .failed(message: "stage 's': declared output 'b.txt' was not written"))
    }

    func testFailingCommandReportsItsLogTail() async throws {
        let text = """
            ```stage s
            run: echo line one; echo "line two" >&2; exit 3
            outputs: [x]
            ```
            """
        let result = try await fixture.run(text)
        XCTAssertEqual(result.report.failures.map(\.message), ["stage 's': command exited with status 3: line two"])
        XCTAssertEqual(result.logTails["s"], "line one\nline two\n")
    }

    func testRepositoryFilesAreStoredAndTheirContentEntersTheKey() async throws {
        try fixture.writeRepoFile("data/in.txt", "v1")
        let text = """
            ```stage read
            op: test.count
            inputs:
              data: data/in.txt
            ```
            """
        let first = try await fixture.run(text)
        let output = try XCTUnwrap(first.report.outcomes["read"]?.output)
        XCTAssertEqual(try fixture.read(output, "value.txt"), "x|v1")
        XCTAssertTrue(DiskBlobStore(root: fixture.storeRoot).contains(Digest.sha256(Array("v1".utf8))))
        try await fixture.run(text)
        XCTAssertEqual(fixture.counter.total, 0)
        try fixture.writeRepoFile("data/in.txt", "v2")
        try await fixture.run(text)
        XCTAssertEqual(fixture.counter.executed, ["read"])
    }

    func testOpReportIsWrittenInsideTheOutputTree() async throws {
        let result = try await fixture.run(diamond)
        let a = try XCTUnwrap(result.report.outcomes["a"]?.output)
        let json = try fixture.read(a, StageReport.path)
        XCTAssertEqual(json, #"{"figures":[],"metrics":{"length":1},"tables":[]}"#)
        XCTAssertEqual(try StageReport.decode(Data(json.utf8), what: StageReport.path).metrics, ["length": .number(1)])
    }

    func testInputFilesAreReadOnlyForTheStage() async throws {
        let text = """
            ```stage make
            run: echo x > f.txt
            outputs: [f.txt]
            ```

            ```stage poke
            run: if echo y >> inputs/make/f.txt 2>/dev/null; then echo writable > r.txt; else echo readonly > r.txt; fi
            needs: [make]
            outputs: [r.txt]
            ```
            """
        let result = try await fixture.run(text)
        let poke = try XCTUnwrap(result.report.outcomes["poke"]?.output)
        // Root ignores permission bits, so only assert where they apply.
        if getuid() != 0 { XCTAssertEqual(try fixture.read(poke, "r.txt"), "readonly\n") }
    }
}
