import Foundation
import Numerics

/// Loader for images stored as CSV rows: the label in the first column, then H*W*C pixel values
/// (0–255, channel-last order within each pixel) — the layout of the Kaggle MNIST-style CSVs.
/// A first line whose label field is not an integer is treated as a header and skipped.
public enum CSVImageLoader {
    /// Loads `path` (plain or gzip); pixels are scaled by 1/255. Errors name the file, the line
    /// and the byte offset at which the line starts.
    public static func load(_ path: String, height: Int, width: Int, channels: Int = 1, classes: Int = 10) throws -> Dataset {
        let bytes = try readPossiblyGzippedFile(path)
        let expected = height * width * channels
        var labels: [Int] = []
        var storage: [Float] = []
        var offset = 0
        // Split on LF bytes, not Characters: Swift treats "\r\n" as one Character.
        for (index, rawLine) in bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            defer { offset += rawLine.count + 1 }
            let lineBytes = rawLine.last == 13 ? rawLine.dropLast() : rawLine
            if lineBytes.isEmpty { continue }
            guard let line = String(bytes: lineBytes, encoding: .utf8) else {
                throw NASError.malformedData(file: path, offset: offset, reason: "line \(index + 1): not UTF-8 text")
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let label = Int(fields[0].trimmingCharacters(in: .whitespaces)) else {
                if index == 0 { continue }  // header
                throw NASError.malformedData(file: path, offset: offset, reason: "line \(index + 1): label '\(fields[0])' is not an integer")
            }
            guard (0..<classes).contains(label) else {
                throw NASError.malformedData(file: path, offset: offset, reason: "line \(index + 1): label \(label) outside 0..<\(classes)")
            }
            guard fields.count == expected + 1 else {
                throw NASError.malformedData(file: path, offset: offset,
                                             reason: "line \(index + 1): \(fields.count - 1) pixel values, expected \(expected)")
            }
            for field in fields.dropFirst() {
                guard let v = Float(field.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw NASError.malformedData(file: path, offset: offset, reason: "line \(index + 1): pixel '\(field)' is not a number")
                }
                storage.append(v * (1 / 255))
            }
            labels.append(label)
        }
        guard !labels.isEmpty else { throw NASError.malformedData(file: path, offset: 0, reason: "no data rows") }
        return try Dataset(images: Tensor(shape: [labels.count, height, width, channels], storage: storage),
                           labels: labels, classes: classes)
    }
}
