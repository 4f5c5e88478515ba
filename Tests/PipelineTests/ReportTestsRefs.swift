import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// Parsing and resolving `NAME:STAGE[@RUN][/path]` and `sha256:…[/path]`.
final class ReportTestsRefs: XCTestCase {
    private let digest = Digest.sha256(Data("x".utf8))

    private func message(_ text: String) -> String {
        do {
            let ref = try ArtifactRef.parse(text)
            return "parsed \(ref)"
        } catch {
            return "\(error)"
        }
    }

    func testParsesEachForm() throws {
        XCTAssertEqual(try ArtifactRef.parse("demo:train"),
                       ArtifactRef(base: .stage(pipeline: "demo", stage: "train", run: nil)))
        XCTAssertEqual(try ArtifactRef.parse("demo:train@AbCd12"),
                       ArtifactRef(base: .stage(pipeline: "demo", stage: "train", run: "abcd12")))
        XCTAssertEqual(try ArtifactRef.parse("demo:train@abcd/sub/file.csv"),
                       ArtifactRef(base: .stage(pipeline: "demo", stage: "train", run: "abcd"), path: ["sub", "file.csv"]))
        XCTAssertEqual(try ArtifactRef.parse("demo:train/dir/"),
                       ArtifactRef(base: .stage(pipeline: "demo", stage: "train", run: nil), path: ["dir"]))
        XCTAssertEqual(try ArtifactRef.parse(digest.description), ArtifactRef(base: .digest(digest)))
        XCTAssertEqual(try ArtifactRef.parse("\(digest)/a b/c"), ArtifactRef(base: .digest(digest), path: ["a b", "c"]))
        XCTAssertEqual(try ArtifactRef.parse("my-pipe.v2:stage_1").description, "my-pipe.v2:stage_1")
        XCTAssertEqual(try ArtifactRef.parse("\(digest)/x").description, "\(digest)/x")
    }

    func testEachMalformedFormHasAOneLineError() {
        XCTAssertEqual(message("demo"), "demo: expected NAME:STAGE[@RUN][/PATH] or sha256:<digest>[/PATH]")
        XCTAssertEqual(message(":train"), ":train: missing pipeline name before ':'")
        XCTAssertEqual(message("de mo:train"),
                       "de mo:train: invalid pipeline name 'de mo': use only letters, digits, '.', '_' and '-'")
        XCTAssertEqual(message("demo:"), "demo:: missing stage name after 'demo:'")
        XCTAssertEqual(message("demo:tr ain"), "demo:tr ain: stage name 'tr ain' may use only letters, digits, '_' and '-'")
        XCTAssertEqual(message("demo:train@abc"),
                       "demo:train@abc: run 'abc' must be 4 to 40 hex digits of a commit id (see 'nasbook log demo')")
        XCTAssertEqual(message("demo:train@xyz12"),
                       "demo:train@xyz12: run 'xyz12' must be 4 to 40 hex digits of a commit id (see 'nasbook log demo')")
        XCTAssertEqual(message("demo:train/../x"), "demo:train/../x: path components must not be empty, '.' or '..'")
        XCTAssertEqual(message("demo:train//x"), "demo:train//x: path components must not be empty, '.' or '..'")
        XCTAssertEqual(message("sha256:abc"), "sha256:abc: malformed digest: expected 64 hex digits, found 3")
        let upper = "sha256:" + digest.hex.uppercased()
        XCTAssertEqual(message(upper), "\(upper): malformed digest: digits must be lower-case hex [0-9a-f]")
        for text in ["demo", ":train", "demo:train@abc", "sha256:abc"] {
            XCTAssertFalse(message(text).contains("\n"))
        }
    }

    func testResolvesStageRunAndPath() throws {
        let f = try ReportFixture()
        let latest = try f.resolver.resolve("demo:ingest")
        XCTAssertEqual(latest.digest, f.ingestOut)
        XCTAssertEqual(latest.run?.commit, f.run2, "newest run having the stage")
        XCTAssertEqual(latest.record?.stage, "ingest")

        let first = try f.resolver.resolve("demo:ingest@\(f.run1.hex.prefix(8))")
        XCTAssertEqual(first.run?.commit, f.run1)
        XCTAssertEqual(first.digest, f.ingestOut)

        let file = try f.resolver.resolve("demo:ingest/data.csv")
        XCTAssertEqual(file.base, f.ingestOut)
        XCTAssertEqual(file.entry?.kind, .file)
        XCTAssertEqual(file.digest, try Tree.decode(f.store.get(f.ingestOut))["data.csv"]?.digest)

        let byDigest = try f.resolver.resolve("\(f.trainOut)/_report/report.json")
        XCTAssertNil(byDigest.run)
        XCTAssertNoThrow(try StageReport.decode(f.store.get(byDigest.digest), what: "report.json"))

        // The newest run has `plot` executed; the first had it failed.
        XCTAssertEqual(try f.resolver.resolve("demo:plot").digest, f.plotOut)
    }

    func testResolutionErrorsNameWhatIsMissing() throws {
        let f = try ReportFixture()
        func error(_ text: String) -> String {
            do { _ = try f.resolver.resolve(text); return "resolved" } catch { return "\(error)" }
        }
        XCTAssertEqual(error("dmeo:train"), "dmeo:train: unknown pipeline 'dmeo'; did you mean 'demo'?")
        XCTAssertEqual(error("zzzzzz:train"), "zzzzzz:train: unknown pipeline 'zzzzzz' (pipelines with runs: demo)")
        XCTAssertEqual(error("demo:trian"), "demo:trian: no run of pipeline 'demo' has a stage 'trian'; did you mean 'train'?")
        XCTAssertEqual(error("demo:trian@\(f.run2.short)"),
                       "demo:trian@\(f.run2.short): run \(f.run2.short) of pipeline 'demo' has no stage 'trian'; did you mean 'train'?")
        let absent = f.run1.hex.hasPrefix("0000") || f.run2.hex.hasPrefix("0000") ? "ffff" : "0000"
        XCTAssertEqual(error("demo:train@\(absent)"),
                       "demo:train@\(absent): no run '\(absent)' in pipeline 'demo' (see 'nasbook log demo')")
        XCTAssertEqual(error("demo:plot@\(f.run1.short)"),
                       "demo:plot@\(f.run1.short): stage 'plot' failed in run \(f.run1.short) and has no output (exit <1>)")
        XCTAssertEqual(error("demo:ingest/nope.csv"), "demo:ingest/nope.csv: the artifact has no entry 'nope.csv'")
        XCTAssertEqual(error("demo:ingest/data.cvs"),
                       "demo:ingest/data.cvs: the artifact has no entry 'data.cvs'; did you mean 'data.csv'?")
        XCTAssertEqual(error("demo:ingest/data.csv/x"),
                       "demo:ingest/data.csv/x: 'data.csv' is a file, not a folder, so it has no 'x'")
        let missing = Digest.sha256(Data("never stored".utf8))
        XCTAssertEqual(error(missing.description), "\(missing): no such artifact in the store")
    }

    func testAmbiguousRunPrefixIsReported() throws {
        let f = try ReportFixture()
        // 17 more runs make 19 in all: by pigeonhole two share a first hex digit. The one-digit
        // prefix goes straight to `run(pipeline:prefix:)`; the parser itself asks for ≥ 4 digits.
        for i in 0..<17 {
            try f.ledger.commitRun(pipeline: "demo", records: [], document: Data(), message: "filler \(i)",
                                   time: Timestamp(millisecondsSince1970: 1_700_000_100_000 + Int64(i) * 1000))
        }
        let runs = try f.ledger.runs(pipeline: "demo")
        let byDigit = Dictionary(grouping: runs, by: { String($0.commit.hex.prefix(1)) })
        let (digit, sharing) = try XCTUnwrap(byDigit.first { $0.value.count > 1 })
        XCTAssertThrowsError(try f.resolver.run(pipeline: "demo", prefix: digit)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("demo: run prefix '\(digit)' is ambiguous: it matches \(sharing.count) runs ("),
                          text)
            XCTAssertTrue(text.hasSuffix("); give more digits"), text)
        }
    }
}
