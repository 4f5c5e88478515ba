import CZlib
import Foundation
import XCTest
@testable import NAS
import Numerics

final class DatasetLoaderTests: XCTestCase {
    /// IDX images [n, rows, cols] with pixel (i, y, x) = (i * 16 + y * cols + x) % 256.
    static func idxImages(count: Int, rows: Int, cols: Int) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 8, 3]
        for d in [count, rows, cols] { bytes += [0, 0, UInt8(d >> 8), UInt8(d & 255)] }
        for i in 0..<count { for p in 0..<(rows * cols) { bytes.append(UInt8((i * 16 + p) % 256)) } }
        return bytes
    }

    static func idxLabels(_ labels: [UInt8]) -> [UInt8] {
        [0, 0, 8, 1, 0, 0, 0, UInt8(labels.count)] + labels
    }

    func write(_ bytes: [UInt8], _ name: String, in dir: URL, gzip: Bool = false) throws -> String {
        let path = dir.appendingPathComponent(name).path
        if gzip {
            let handle = try XCTUnwrap(gzopen(path, "wb"))
            XCTAssertEqual(bytes.withUnsafeBytes { gzwrite(handle, $0.baseAddress, UInt32($0.count)) }, Int32(bytes.count))
            gzclose(handle)
        } else {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return path
    }

    func testIDXPlainAndGzipLoadIdentically() throws {
        let dir = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let labels: [UInt8] = [3, 1, 4]
        let plain = try IDXLoader.load(images: write(Self.idxImages(count: 3, rows: 2, cols: 4), "i", in: dir),
                                       labels: write(Self.idxLabels(labels), "l", in: dir))
        XCTAssertEqual(plain.images.shape, [3, 2, 4, 1])
        XCTAssertEqual(plain.labels, [3, 1, 4])
        XCTAssertEqual(plain.images.storage[16 + 5], Float(37) * (1 / 255))  // image 2, pixel 5 = 2 * 16 + 5
        let gz = try IDXLoader.load(images: write(Self.idxImages(count: 3, rows: 2, cols: 4), "i.gz", in: dir, gzip: true),
                                    labels: write(Self.idxLabels(labels), "l.gz", in: dir, gzip: true))
        XCTAssertEqual(gz, plain)
    }

    func testMNISTStyleDirectoryPrefersGzipNames() throws {
        let dir = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try write(Self.idxImages(count: 2, rows: 3, cols: 3), "train-images-idx3-ubyte.gz", in: dir, gzip: true)
        _ = try write(Self.idxLabels([0, 9]), "train-labels-idx1-ubyte.gz", in: dir, gzip: true)
        _ = try write(Self.idxImages(count: 1, rows: 3, cols: 3), "t10k-images-idx3-ubyte", in: dir)
        _ = try write(Self.idxLabels([5]), "t10k-labels-idx1-ubyte", in: dir)
        let (train, test) = try IDXLoader.loadMNISTStyle(directory: dir.path)
        XCTAssertEqual(train.labels, [0, 9])
        XCTAssertEqual(test.labels, [5])
    }

    func testIDXErrorsNameFileAndOffset() throws {
        let dir = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = Self.idxImages(count: 3, rows: 2, cols: 4)
        let truncated = try write(Array(good.dropLast(5)), "trunc", in: dir)
        XCTAssertThrowsError(try IDXLoader.read(truncated, rank: 3)) { error in
            XCTAssertEqual(error as? NASError, .malformedData(file: truncated, offset: 35,
                                                              reason: "payload truncated: 19 bytes for dimensions [3, 2, 4] (24 expected)"))
        }
        var badMagic = good
        badMagic[1] = 7
        let magic = try write(badMagic, "magic", in: dir)
        XCTAssertThrowsError(try IDXLoader.read(magic, rank: 3)) { error in
            guard case let .malformedData(file, offset, _)? = error as? NASError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, magic)
            XCTAssertEqual(offset, 0)
        }
        let rank = try write(Self.idxLabels([1]), "rank", in: dir)
        XCTAssertThrowsError(try IDXLoader.read(rank, rank: 3)) { error in
            guard case let .malformedData(_, offset, _)? = error as? NASError else { return XCTFail("\(error)") }
            XCTAssertEqual(offset, 3)
        }
        let header = try write(Array(good.prefix(9)), "header", in: dir)
        XCTAssertThrowsError(try IDXLoader.read(header, rank: 3)) { error in
            guard case let .malformedData(_, offset, _)? = error as? NASError else { return XCTFail("\(error)") }
            XCTAssertEqual(offset, 9)
        }
        // Dimensions whose product overflows Int: an error, not a trap.
        let huge = try write([0, 0, 8, 3] + [UInt8](repeating: 0, count: 0) + [16, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 1, 2], "huge", in: dir)
        XCTAssertThrowsError(try IDXLoader.read(huge, rank: 3)) { error in
            guard case let .malformedData(_, offset, _)? = error as? NASError else { return XCTFail("\(error)") }
            XCTAssertEqual(offset, 18)
        }
        XCTAssertThrowsError(try IDXLoader.read(dir.appendingPathComponent("missing").path, rank: 1)) { error in
            guard case .unreadableFile? = error as? NASError else { return XCTFail("\(error)") }
        }
    }

    func testTruncatedGzipIsAnErrorNotACrash() throws {
        let dir = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try write(Self.idxImages(count: 20, rows: 8, cols: 8), "full.gz", in: dir, gzip: true)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let cut = try write(Array(bytes.prefix(bytes.count / 2)), "cut.gz", in: dir)
        XCTAssertThrowsError(try IDXLoader.read(cut, rank: 3)) { error in
            guard case let .unreadableFile(file, _)? = error as? NASError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, cut)
        }
    }

    func testLabelCountMismatchAndOutOfRangeLabel() throws {
        let dir = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = try write(Self.idxImages(count: 2, rows: 2, cols: 2), "i", in: dir)
        XCTAssertThrowsError(try IDXLoader.load(images: images, labels: write(Self.idxLabels([1, 2, 3]), "l3", in: dir)))
        let bad = try write(Self.idxLabels([1, 12]), "l", in: dir)
        XCTAssertThrowsError(try IDXLoader.load(images: images, labels: bad)) { error in
            XCTAssertEqual(error as? NASError, .malformedData(file: bad, offset: 9, reason: "label 12 outside 0..<10"))
        }
    }

    func testCIFARRecordsAreTransposedToNHWC() throws {
        let dir = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes: [UInt8] = []
        for r in 0..<2 {
            bytes.append(UInt8(7 - r))
            for c in 0..<3 { for p in 0..<1024 { bytes.append(UInt8((c * 50 + p + r) % 256)) } }
        }
        let path = try write(bytes, "data_batch_1.bin", in: dir)
        let data = try CIFAR10Loader.load(files: [path])
        XCTAssertEqual(data.images.shape, [2, 32, 32, 3])
        XCTAssertEqual(data.labels, [7, 6])
        // Image 1, pixel 5, channel 2 = (100 + 5 + 1) / 255.
        XCTAssertEqual(data.images.storage[3072 + 5 * 3 + 2], Float(106) * (1 / 255))
        let gz = try CIFAR10Loader.load(files: [write(bytes, "b.gz", in: dir, gzip: true)])
        XCTAssertEqual(gz, data)

        let short = try write(Array(bytes.dropLast(100)), "short.bin", in: dir)
        XCTAssertThrowsError(try CIFAR10Loader.load(files: [short])) { error in
            guard case let .malformedData(file, offset, _)? = error as? NASError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, short)
            XCTAssertEqual(offset, 3073)
        }
        var badLabel = bytes
        badLabel[3073] = 10
        let label = try write(badLabel, "label.bin", in: dir)
        XCTAssertThrowsError(try CIFAR10Loader.load(files: [label])) { error in
            XCTAssertEqual(error as? NASError, .malformedData(file: label, offset: 3073, reason: "label 10 outside 0..<10"))
        }
    }

    func testCSVWithHeaderAndErrors() throws {
        let dir = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = "label,p0,p1,p2,p3\n2,0,255,51,102\r\n0,1,2,3,4\n"
        let path = try write(Array(csv.utf8), "x.csv", in: dir)
        let data = try CSVImageLoader.load(path, height: 2, width: 2)
        XCTAssertEqual(data.labels, [2, 0])
        XCTAssertEqual(data.images.shape, [2, 2, 2, 1])
        XCTAssertEqual(Array(data.images.storage.prefix(4)), [0, 255, 51, 102].map { Float($0) * (1 / 255) })
        let short = try write(Array("1,2,3\n".utf8), "short.csv", in: dir)
        XCTAssertThrowsError(try CSVImageLoader.load(short, height: 2, width: 2)) { error in
            XCTAssertEqual(error as? NASError, .malformedData(file: short, offset: 0, reason: "line 1: 2 pixel values, expected 4"))
        }
        let text = try write(Array("0,1,2,3,4\n1,1,x,3,4\n".utf8), "text.csv", in: dir)
        XCTAssertThrowsError(try CSVImageLoader.load(text, height: 2, width: 2)) { error in
            XCTAssertEqual(error as? NASError, .malformedData(file: text, offset: 10, reason: "line 2: pixel 'x' is not a number"))
        }
    }
}
