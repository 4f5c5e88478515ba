import Crypto
import Foundation

/// MD5 (RFC 1321) over a caller-owned buffer, padded in place.
///
/// Why not only `Insecure.MD5`: the NB101 enumeration hashes ~60 million short
/// strings, and swift-crypto allocates a context object per digest, which
/// dominated the run time. This allocation-free version is checked against
/// `Insecure.MD5` (`referenceDigest`) in the tests.
enum MD5 {
    /// Per-step constants floor(|sin(i + 1)| · 2³²), exact in Double.
    private static let k: [UInt32] = (0..<64).map { UInt32(abs(sin(Double($0 + 1))) * 4_294_967_296.0) }
    /// Per-step left-rotation amounts.
    private static let shifts: [UInt32] = (0..<64).map { i -> UInt32 in
        let table: [[UInt32]] = [[7, 12, 17, 22], [5, 9, 14, 20], [4, 11, 16, 23], [6, 10, 15, 21]]
        return table[i >> 4][i & 3]
    }

    /// Bytes of room the buffer needs beyond the message for padding.
    static let paddingRoom = 72

    /// Digest of `p[0..<length]`; overwrites up to `paddingRoom` bytes after it.
    static func digest(_ p: UnsafeMutablePointer<UInt8>, length: Int) -> MD5Words {
        var total = length
        p[total] = 0x80
        total += 1
        while total & 63 != 56 {
            p[total] = 0
            total += 1
        }
        let bits = UInt64(length) &* 8
        for i in 0..<8 { p[total + i] = UInt8(truncatingIfNeeded: bits >> UInt64(8 * i)) }
        total += 8
        var a0: UInt32 = 0x6745_2301, b0: UInt32 = 0xEFCD_AB89, c0: UInt32 = 0x98BA_DCFE, d0: UInt32 = 0x1032_5476
        k.withUnsafeBufferPointer { k in
            shifts.withUnsafeBufferPointer { s in
                for block in stride(from: 0, to: total, by: 64) {
                    let m = UnsafeRawPointer(p + block)
                    var a = a0, b = b0, c = c0, d = d0
                    for i in 0..<64 {
                        var f: UInt32
                        let g: Int
                        switch i >> 4 {
                        case 0: f = (b & c) | (~b & d); g = i
                        case 1: f = (d & b) | (~d & c); g = (5 &* i &+ 1) & 15
                        case 2: f = b ^ c ^ d; g = (3 &* i &+ 5) & 15
                        default: f = c ^ (b | ~d); g = (7 &* i) & 15
                        }
                        f = f &+ a &+ k[i] &+ UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 4 * g, as: UInt32.self))
                        a = d
                        d = c
                        c = b
                        b = b &+ (f << s[i] | f >> (32 - s[i]))
                    }
                    a0 &+= a
                    b0 &+= b
                    c0 &+= c
                    d0 &+= d
                }
            }
        }
        // The digest is a0…d0 in little-endian byte order; words read big-endian.
        return MD5Words(hi: UInt64(a0.byteSwapped) << 32 | UInt64(b0.byteSwapped),
                        lo: UInt64(c0.byteSwapped) << 32 | UInt64(d0.byteSwapped))
    }

    /// Digest of `bytes` (copied into a padded scratch buffer).
    static func digest(_ bytes: [UInt8]) -> MD5Words {
        var buffer = bytes + [UInt8](repeating: 0, count: paddingRoom)
        return buffer.withUnsafeMutableBufferPointer { digest($0.baseAddress!, length: bytes.count) }
    }

    /// swift-crypto's MD5, the reference the tests compare `digest` against.
    static func referenceDigest(_ bytes: [UInt8]) -> MD5Words {
        Insecure.MD5.hash(data: bytes).withUnsafeBytes { raw in
            var hi: UInt64 = 0, lo: UInt64 = 0
            for i in 0..<8 { hi = hi << 8 | UInt64(raw[i]) }
            for i in 8..<16 { lo = lo << 8 | UInt64(raw[i]) }
            return MD5Words(hi: hi, lo: lo)
        }
    }
}
