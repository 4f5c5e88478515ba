import Foundation
import Numerics

/// Loader for the CIFAR-10 binary version: files of 3,073-byte records, one label byte then a
/// 3x32x32 image stored channel-first (all red, all green, all blue), transposed here to NHWC.
public enum CIFAR10Loader {
    /// Bytes per record.
    public static let recordSize = 1 + 3 * 32 * 32

    /// Loads and concatenates the records of `files` (plain or gzip) in order, pixels in [0, 1].
    public static func load(files: [String]) throws -> Dataset {
        var labels: [Int] = []
        var storage: [Float] = []
        for path in files {
            let bytes = try readPossiblyGzippedFile(path)
            guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
                throw NASError.malformedData(file: path, offset: bytes.count - bytes.count % recordSize,
                                             reason: "\(bytes.count) bytes is not a whole number of \(recordSize)-byte records")
            }
            let records = bytes.count / recordSize
            storage.reserveCapacity(storage.count + records * 3072)
            for r in 0..<records {
                let base = r * recordSize
                guard bytes[base] < 10 else {
                    throw NASError.malformedData(file: path, offset: base, reason: "label \(bytes[base]) outside 0..<10")
                }
                labels.append(Int(bytes[base]))
                for pixel in 0..<1024 {
                    for c in 0..<3 { storage.append(Float(bytes[base + 1 + c * 1024 + pixel]) * (1 / 255)) }
                }
            }
        }
        return try Dataset(images: Tensor(shape: [labels.count, 32, 32, 3], storage: storage), labels: labels, classes: 10)
    }

    /// `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin` from `directory`.
    public static func load(directory: String) throws -> (train: Dataset, test: Dataset) {
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        let train = try load(files: (1...5).map { dir + "data_batch_\($0).bin" })
        let test = try load(files: [dir + "test_batch.bin"])
        return (train, test)
    }
}
