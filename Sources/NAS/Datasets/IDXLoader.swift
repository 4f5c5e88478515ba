import Foundation
import Numerics

/// Loaders for the IDX format of MNIST and Fashion-MNIST (plain or gzip).
///
/// An IDX file is: two zero bytes, a type byte (0x08 = unsigned byte, the only type these sets
/// use), the number of dimensions, each dimension as a big-endian UInt32, then the payload.
/// Every field is checked, so a wrong or truncated file gives a `NASError.malformedData` naming
/// the file and the byte offset (in the decompressed stream) instead of a crash.
public enum IDXLoader {
    /// Parses an unsigned-byte IDX file of rank `rank`; returns its dimensions and payload.
    public static func read(_ path: String, rank: Int) throws -> (dimensions: [Int], payload: ArraySlice<UInt8>) {
        let bytes = try readPossiblyGzippedFile(path)
        guard bytes.count >= 4 else {
            throw NASError.malformedData(file: path, offset: bytes.count, reason: "file ends inside the 4-byte magic number")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw NASError.malformedData(file: path, offset: 0, reason: "bad magic number (first two bytes must be zero)")
        }
        guard bytes[2] == 0x08 else {
            throw NASError.malformedData(file: path, offset: 2, reason: "element type 0x\(String(bytes[2], radix: 16)), expected 0x08 (unsigned byte)")
        }
        guard Int(bytes[3]) == rank else {
            throw NASError.malformedData(file: path, offset: 3, reason: "\(bytes[3]) dimensions, expected \(rank)")
        }
        let headerEnd = 4 + 4 * rank
        guard bytes.count >= headerEnd else {
            throw NASError.malformedData(file: path, offset: bytes.count, reason: "file ends inside the dimension header")
        }
        var dims: [Int] = []
        for d in 0..<rank {
            let o = 4 + 4 * d
            let value = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            guard value > 0, value <= 1 << 28 else {
                throw NASError.malformedData(file: path, offset: o, reason: "dimension \(d) is \(value)")
            }
            dims.append(value)
        }
        // Each dimension is at most 2^28, so a product of three can overflow Int: check as we go.
        var expected = 1
        for d in dims {
            let (product, overflow) = expected.multipliedReportingOverflow(by: d)
            guard !overflow, product <= bytes.count else {
                throw NASError.malformedData(file: path, offset: bytes.count,
                                             reason: "payload truncated: dimensions \(dims) need more than the \(bytes.count - headerEnd) bytes present")
            }
            expected = product
        }
        guard bytes.count - headerEnd == expected else {
            let what = bytes.count - headerEnd < expected ? "truncated" : "has trailing bytes"
            throw NASError.malformedData(file: path, offset: min(bytes.count, headerEnd + expected),
                                         reason: "payload \(what): \(bytes.count - headerEnd) bytes for dimensions \(dims) (\(expected) expected)")
        }
        return (dims, bytes[headerEnd...])
    }

    /// Loads an images file `[N, H, W]` and a labels file `[N]` into a one-channel dataset with
    /// pixels scaled to [0, 1].
    public static func load(images imagesPath: String, labels labelsPath: String, classes: Int = 10) throws -> Dataset {
        let (dims, pixels) = try read(imagesPath, rank: 3)
        let (labelDims, labelBytes) = try read(labelsPath, rank: 1)
        guard labelDims[0] == dims[0] else {
            throw NASError.malformedData(file: labelsPath, offset: 4,
                                         reason: "\(labelDims[0]) labels for \(dims[0]) images in \(imagesPath)")
        }
        var labels: [Int] = []
        labels.reserveCapacity(dims[0])
        for (i, byte) in labelBytes.enumerated() {
            guard Int(byte) < classes else {
                throw NASError.malformedData(file: labelsPath, offset: 8 + i, reason: "label \(byte) outside 0..<\(classes)")
            }
            labels.append(Int(byte))
        }
        let storage = pixels.map { Float($0) * (1 / 255) }
        return try Dataset(images: Tensor(shape: [dims[0], dims[1], dims[2], 1], storage: storage), labels: labels, classes: classes)
    }

    /// Fashion-MNIST / MNIST from a directory holding `train-images-idx3-ubyte[.gz]`,
    /// `train-labels-idx1-ubyte[.gz]`, `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`
    /// (the gzip name is preferred when both exist).
    public static func loadMNISTStyle(directory: String) throws -> (train: Dataset, test: Dataset) {
        func file(_ stem: String) -> String {
            let base = directory.hasSuffix("/") ? directory + stem : directory + "/" + stem
            return FileManager.default.fileExists(atPath: base + ".gz") ? base + ".gz" : base
        }
        let train = try load(images: file("train-images-idx3-ubyte"), labels: file("train-labels-idx1-ubyte"))
        let test = try load(images: file("t10k-images-idx3-ubyte"), labels: file("t10k-labels-idx1-ubyte"))
        return (train, test)
    }

    /// The default Fashion-MNIST location on this project's machines.
    public static let defaultFashionMNISTDirectory = "/usr/share/datasets/fashion-mnist/"
}
