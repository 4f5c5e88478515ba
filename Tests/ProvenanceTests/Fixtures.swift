import Foundation
import XCTest
import ArtifactStore
@testable import Provenance

/// Shared builders for ledger tests: temporary stores and small records.
enum Fixture {
    /// A fresh, empty store folder under the system temp directory.
    static func store() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("nasbook-ledger-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The digest of a short label, so tests can name artifacts readably.
    static func digest(_ label: String) -> Digest { Digest.sha256(Data(label.utf8)) }

    /// A record of `stage` in `pipeline` that reads `inputs` and writes `output`.
    static func record(pipeline: String = "demo", stage: String, op: String = "test.op",
                       params: [String: ParamValue] = [:], inputs: [String: Digest] = [:], output: Digest?,
                       key: String? = nil, outcome: Outcome = .executed, ended: Int64 = 1_700_000_001_000) -> RunRecord {
        let keyText = key ?? "\(op)|\(stage)|\(output?.description ?? "-")"
        return RunRecord(pipeline: pipeline, stage: stage, op: op, opVersion: 1, params: params, inputs: inputs,
                         output: output, cacheKey: Digest.sha256(Data(keyText.utf8)), keyRecord: keyText,
                         started: Timestamp(millisecondsSince1970: ended - 1000),
                         ended: Timestamp(millisecondsSince1970: ended), host: "testhost",
                         toolVersion: "0.1.0", outcome: outcome)
    }

    /// Runs stock git in `store`; nil when /usr/bin/git is absent.
    static func git(_ arguments: [String], in store: URL) throws -> (status: Int32, output: String)? {
        let git = URL(fileURLWithPath: "/usr/bin/git")
        guard FileManager.default.isExecutableFile(atPath: git.path) else { return nil }
        let process = Process()
        process.executableURL = git
        process.arguments = ["-C", store.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
