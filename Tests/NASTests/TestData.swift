import Foundation
@testable import NAS

/// Paths of the benchmark tables committed under data/, found from this file's
/// location so tests run from any working directory.
enum TestData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let nb101 = root.appendingPathComponent("data/nb101/nb101-20k.csv.zst").path
    static let nb201 = root.appendingPathComponent("data/nb201/nb201-cifar10-200ep.csv.zst").path
    static let nb201LowFidelity = root.appendingPathComponent("data/nb201/nb201-12ep-3datasets.csv.zst").path

    /// Tables are loaded once per test process; loading validates every row.
    static let nb101Table = Result { try NB101Table.load(path: nb101) }
    static let nb201Table = Result { try NB201Table.load(path: nb201) }

    /// A temporary file holding `bytes`, removed by the caller.
    static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("nastests-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }
}
