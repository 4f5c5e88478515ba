import Foundation
import NAS
import Pipeline

/// The benchmark tables `benchmark.load` understands, and how each maps onto
/// the canonical rows (id, cell, accuracy) every downstream op reads.
public enum BenchmarkFormat: String, CaseIterable, Codable, Sendable {
    /// `data/nb101/nb101-20k.csv.zst`: NAS-Bench-101 cells, accuracy 0–1.
    case nb101
    /// `data/nb201/nb201-cifar10-200ep.csv.zst`: all NAS-Bench-201 cells, 200 epochs, accuracy in %.
    case nb201
    /// `data/nb201/nb201-12ep-3datasets.csv.zst`: the 12-epoch low-fidelity table, accuracy in %.
    case nb201LowFidelity = "nb201-12ep"

    /// Repository path of the shipped table, for documentation and pipelines.
    public var repositoryTable: String {
        switch self {
        case .nb101: return "data/nb101/nb101-20k.csv.zst"
        case .nb201: return "data/nb201/nb201-cifar10-200ep.csv.zst"
        case .nb201LowFidelity: return "data/nb201/nb201-12ep-3datasets.csv.zst"
        }
    }

    /// Search space of the cells: `nb101` or `nb201`.
    public var space: String { self == .nb101 ? "nb101" : "nb201" }

    /// Source columns that may serve as the accuracy label.
    public var labels: [String] {
        switch self {
        case .nb101: return ["val_acc_108", "val_acc_36", "val_acc_12", "val_acc_4"]
        case .nb201: return ["test_top1", "valid_top1", "valid_test_top1"]
        case .nb201LowFidelity: return Array(NB201LowFidelityTable.columns.dropFirst(2))
        }
    }

    /// The label used when the stage says `auto`: the final-budget accuracy
    /// that the ReNAS experiments rank by.
    public var defaultLabel: String { labels[0] }

    /// `fraction` (0–1) or `percent`, recorded so reports do not mix units.
    public var unit: String { self == .nb101 ? "fraction" : "percent" }

    /// Columns naming the cell in the canonical CSV.
    public var cellColumns: [String] { self == .nb101 ? ["adjacency", "ops"] : ["cellstr"] }

    /// Header of the canonical CSV: `id`, the cell columns, `accuracy`.
    public var canonicalColumns: [String] { ["id"] + cellColumns + ["accuracy"] }

    /// Validates `csv` with the NAS loader for this format and returns its rows
    /// with the accuracy taken from `label`, plus one-line data-quality warnings.
    func rows(of csv: CSVFile, label: String) throws -> (rows: [BenchmarkRow], warnings: [String]) {
        switch self {
        case .nb101:
            let table = try NB101Table(csv: csv)
            let pick: (NB101Record) -> Double
            switch label {
            case "val_acc_4": pick = { $0.validationAccuracy4 }
            case "val_acc_12": pick = { $0.validationAccuracy12 }
            case "val_acc_36": pick = { $0.validationAccuracy36 }
            default: pick = { $0.validationAccuracy108 }
            }
            return (table.records.map { BenchmarkRow(id: $0.hash, cell: .nb101($0.cell), accuracy: pick($0)) }, [])
        case .nb201:
            let table = try NB201Table(csv: csv)
            let pick: (NB201Record) -> Double
            switch label {
            case "valid_top1": pick = { $0.validAccuracy }
            case "valid_test_top1": pick = { $0.validTestAccuracy }
            default: pick = { $0.testAccuracy }
            }
            let rows = table.records.map { BenchmarkRow(id: String($0.arch), cell: .nb201($0.cell), accuracy: pick($0)) }
            return (rows, table.parameterWarnings.map { "params: \($0)" })
        case .nb201LowFidelity:
            let table = try NB201LowFidelityTable(csv: csv)
            let pick: (NB201LowFidelityRecord) -> Double
            switch label {
            case "cifar10-val": pick = { $0.cifar10Valid }
            case "cifar100-test": pick = { $0.cifar100Test }
            case "cifar100-val": pick = { $0.cifar100Valid }
            case "imagenet-test": pick = { $0.imagenetTest }
            case "imagenet-val": pick = { $0.imagenetValid }
            default: pick = { $0.cifar10Test }
            }
            return (table.records.map { BenchmarkRow(id: String($0.arch), cell: .nb201($0.cell), accuracy: pick($0)) }, [])
        }
    }
}
