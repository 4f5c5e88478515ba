import Foundation
import Crypto

/// A content digest that carries its algorithm.
///
/// There is exactly one string form, `<algorithm>:<lower-case hex>`, e.g.
/// `sha256:e3b0c442…`. It is what the CLI prints, what records store and
/// what `init?(_:)`/`parse(_:)` accept; nothing else is a digest.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// Hash algorithms a digest may be computed with.
    public enum Algorithm: String, Sendable, Codable, CaseIterable {
        case sha256

        /// Length of the raw hash in bytes.
        public var byteCount: Int {
            switch self {
            case .sha256: return 32
            }
        }
    }

    /// The algorithm the bytes were computed with.
    public let algorithm: Algorithm
    /// The raw hash bytes (`algorithm.byteCount` of them).
    public let bytes: [UInt8]

    /// Wraps raw hash bytes; returns nil when the length does not fit the algorithm.
    public init?(algorithm: Algorithm, bytes: [UInt8]) {
        guard bytes.count == algorithm.byteCount else { return nil }
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// Lower-case hex of the raw bytes, without the algorithm prefix.
    public var hex: String { Hex.encode(bytes) }

    /// The canonical string form `algorithm:hex`.
    public var description: String { "\(algorithm.rawValue):\(hex)" }

    /// Parses the canonical string form, throwing `ArtifactStoreError.malformedDigest`
    /// with the reason when `text` is not exactly one.
    public static func parse(_ text: String) throws -> Digest {
        guard let colon = text.firstIndex(of: ":") else {
            throw ArtifactStoreError.malformedDigest(text, reason: "expected 'sha256:<64 hex digits>'")
        }
        let name = String(text[..<colon])
        let hexPart = String(text[text.index(after: colon)...])
        guard let algorithm = Algorithm(rawValue: name) else {
            throw ArtifactStoreError.malformedDigest(text, reason: "unknown algorithm '\(name)' (supported: sha256)")
        }
        guard hexPart.utf8.count == algorithm.byteCount * 2 else {
            throw ArtifactStoreError.malformedDigest(
                text, reason: "expected \(algorithm.byteCount * 2) hex digits, found \(hexPart.utf8.count)")
        }
        guard let raw = Hex.decode(hexPart) else {
            throw ArtifactStoreError.malformedDigest(text, reason: "digits must be lower-case hex [0-9a-f]")
        }
        return Digest(algorithm: algorithm, bytes: raw)!
    }

    /// Parses the canonical string form; nil when malformed (see `parse(_:)` for the reason).
    public init?(_ text: String) {
        guard let digest = try? Digest.parse(text) else { return nil }
        self = digest
    }

    /// SHA-256 of `data`.
    public static func sha256<D: DataProtocol>(_ data: D) -> Digest {
        Digest(algorithm: .sha256, bytes: Array(SHA256.hash(data: data)))!
    }

    /// Orders by algorithm, then bytes, so that sorted lists are stable across runs.
    public static func < (lhs: Digest, rhs: Digest) -> Bool {
        if lhs.algorithm != rhs.algorithm { return lhs.algorithm.rawValue < rhs.algorithm.rawValue }
        return lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Encodes as the canonical string form, so JSON records read `"sha256:…"`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Decodes the canonical string form; malformed strings are a decoding error.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Digest.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }
}

/// Incremental hasher producing a `Digest`, for streaming writers.
public struct DigestHasher {
    private var state = SHA256()

    /// Starts an empty SHA-256 computation.
    public init() {}

    /// Feeds more bytes.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        state.update(bufferPointer: buffer)
    }

    /// Feeds more bytes.
    public mutating func update<D: DataProtocol>(_ data: D) {
        state.update(data: data)
    }

    /// The digest of everything fed so far.
    public func finalize() -> Digest {
        Digest(algorithm: .sha256, bytes: Array(state.finalize()))!
    }
}

/// Lower-case hexadecimal helpers shared by digests and cache keys.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of `bytes`.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes lower-case hex; nil on odd length or any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = value(utf8[i]), let lo = value(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
