import Foundation
import NAS

/// A compact binary list of NAS-Bench-101 cells (`cells.bin`), the artifact of
/// `nb101.enumerate`: 423,624 cells as CSV would be ~60 MB, this is 13.6 MB.
///
/// Layout (all integers little-endian):
///
///     header  8 bytes  "NB101CL1"
///             4 bytes  record count (UInt32)
///     record 32 bytes  vertex count n (1), adjacency rows (7: byte i has bit j set
///                      for edge i→j, rows ≥ n zero), op codes (7: index into
///                      `NB101Op.allCases`, slots ≥ n zero), reserved 0 (1),
///                      fingerprint (16: the MD5 bytes of `NB101Cell.fingerprint`)
///
/// Fixed-size records let a reader seek to cell k directly.
public enum NB101CellFile {
    /// File magic.
    public static let magic = Array("NB101CL1".utf8)
    /// Bytes per record.
    public static let recordSize = 32
    /// Bytes before the first record.
    public static let headerSize = 12

    /// The file's bytes for `cells`, in the given order.
    public static func encode(_ cells: [NB101Cell]) -> [UInt8] {
        var bytes = magic
        bytes.reserveCapacity(headerSize + recordSize * cells.count)
        withUnsafeBytes(of: UInt32(cells.count).littleEndian) { bytes.append(contentsOf: $0) }
        let codes = Dictionary(uniqueKeysWithValues: NB101Op.allCases.enumerated().map { ($1, UInt8($0)) })
        for cell in cells {
            var record = [UInt8](repeating: 0, count: recordSize)
            record[0] = UInt8(cell.vertexCount)
            for i in 0..<cell.vertexCount {
                var row: UInt8 = 0
                for j in 0..<cell.vertexCount where cell.hasEdge(from: i, to: j) { row |= 1 << UInt8(j) }
                record[1 + i] = row
                record[8 + i] = codes[cell.ops[i]]!  // allCases holds every op
            }
            let hex = Array(cell.fingerprint.utf8)
            for k in 0..<16 { record[16 + k] = hexByte(hex[2 * k], hex[2 * k + 1]) }
            bytes.append(contentsOf: record)
        }
        return bytes
    }

    /// Cells and fingerprints (hex) decoded from `bytes`; every cell is rebuilt
    /// through `NB101Cell(matrix:ops:)` so a corrupt file cannot yield an invalid cell.
    public static func decode(_ bytes: [UInt8], file: String) throws -> [(cell: NB101Cell, fingerprint: String)] {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else {
            throw NASError.badHeader(file: file, reason: "not an NB101 cell file (magic NB101CL1)")
        }
        let count = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        guard bytes.count == headerSize + count * recordSize else {
            throw NASError.badHeader(file: file, reason: "\(bytes.count) bytes for \(count) records of \(recordSize)")
        }
        let ops = NB101Op.allCases
        var out: [(cell: NB101Cell, fingerprint: String)] = []
        out.reserveCapacity(count)
        for index in 0..<count {
            let base = headerSize + index * recordSize
            let n = Int(bytes[base])
            guard (2...NB101Cell.maxVertices).contains(n) else {
                throw NASError.badRow(file: file, line: index + 1, reason: "vertex count \(n)")
            }
            let matrix = (0..<n).map { i in (0..<n).map { j in Int(bytes[base + 1 + i] >> UInt8(j) & 1) } }
            var cellOps: [NB101Op] = []
            for i in 0..<n {
                let code = Int(bytes[base + 8 + i])
                guard code < ops.count else { throw NASError.badRow(file: file, line: index + 1, reason: "op code \(code)") }
                cellOps.append(ops[code])
            }
            let cell: NB101Cell
            do { cell = try NB101Cell(matrix: matrix, ops: cellOps) } catch let error as NASError {
                throw NASError.badRow(file: file, line: index + 1, reason: "\(error)")
            }
            let hex = bytes[(base + 16)..<(base + 32)].map { String(format: "%02x", $0) }.joined()
            out.append((cell, hex))
        }
        return out
    }

    private static func hexByte(_ high: UInt8, _ low: UInt8) -> UInt8 {
        func nibble(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : c >= 65 ? c - 55 : c - 48 }
        return nibble(high) << 4 | nibble(low)
    }
}
