import Crypto

/// MD5 (RFC 1321) over a caller-owned buffer, padded in place.
///
/// Why not only `Insecure.MD5`: the NB101 enumeration hashes ~60 million short
/// strings, and swift-crypto allocates a context object per digest, which
/// dominated the run time. This allocation-free version is checked against
/// `Insecure.MD5` (`referenceDigest`) in the tests.
enum MD5 {
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
        for block in stride(from: 0, to: total, by: 64) {
            compress(UnsafeRawPointer(p + block), &a0, &b0, &c0, &d0)
        }
        // The digest is a0…d0 in little-endian byte order; words read big-endian.
        return MD5Words(hi: UInt64(a0.byteSwapped) << 32 | UInt64(b0.byteSwapped),
                        lo: UInt64(c0.byteSwapped) << 32 | UInt64(d0.byteSwapped))
    }

    @inline(__always)
    private static func rotl(_ x: UInt32, _ s: UInt32) -> UInt32 { x << s | x >> (32 - s) }

    /// One 64-byte block. The 64 steps are written out (generated from the
    /// RFC 1321 step table: constants floor(|sin(i + 1)|·2³²)) because the
    /// looped form with table lookups ran about 2× slower.
    @inline(__always)
    private static func compress(_ m: UnsafeRawPointer,
                                 _ a0: inout UInt32, _ b0: inout UInt32, _ c0: inout UInt32, _ d0: inout UInt32) {
        let x0 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        let x1 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let x2 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let x3 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        let x4 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        let x5 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 20, as: UInt32.self))
        let x6 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 24, as: UInt32.self))
        let x7 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
        let x8 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 32, as: UInt32.self))
        let x9 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 36, as: UInt32.self))
        let x10 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 40, as: UInt32.self))
        let x11 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 44, as: UInt32.self))
        let x12 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 48, as: UInt32.self))
        let x13 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 52, as: UInt32.self))
        let x14 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 56, as: UInt32.self))
        let x15 = UInt32(littleEndian: m.loadUnaligned(fromByteOffset: 60, as: UInt32.self))
        var a = a0, b = b0, c = c0, d = d0
        a = b &+ rotl(a &+ ((b & c) | (~b & d)) &+ x0 &+ 0xD76AA478, 7)
        d = a &+ rotl(d &+ ((a & b) | (~a & c)) &+ x1 &+ 0xE8C7B756, 12)
        c = d &+ rotl(c &+ ((d & a) | (~d & b)) &+ x2 &+ 0x242070DB, 17)
        b = c &+ rotl(b &+ ((c & d) | (~c & a)) &+ x3 &+ 0xC1BDCEEE, 22)
        a = b &+ rotl(a &+ ((b & c) | (~b & d)) &+ x4 &+ 0xF57C0FAF, 7)
        d = a &+ rotl(d &+ ((a & b) | (~a & c)) &+ x5 &+ 0x4787C62A, 12)
        c = d &+ rotl(c &+ ((d & a) | (~d & b)) &+ x6 &+ 0xA8304613, 17)
        b = c &+ rotl(b &+ ((c & d) | (~c & a)) &+ x7 &+ 0xFD469501, 22)
        a = b &+ rotl(a &+ ((b & c) | (~b & d)) &+ x8 &+ 0x698098D8, 7)
        d = a &+ rotl(d &+ ((a & b) | (~a & c)) &+ x9 &+ 0x8B44F7AF, 12)
        c = d &+ rotl(c &+ ((d & a) | (~d & b)) &+ x10 &+ 0xFFFF5BB1, 17)
        b = c &+ rotl(b &+ ((c & d) | (~c & a)) &+ x11 &+ 0x895CD7BE, 22)
        a = b &+ rotl(a &+ ((b & c) | (~b & d)) &+ x12 &+ 0x6B901122, 7)
        d = a &+ rotl(d &+ ((a & b) | (~a & c)) &+ x13 &+ 0xFD987193, 12)
        c = d &+ rotl(c &+ ((d & a) | (~d & b)) &+ x14 &+ 0xA679438E, 17)
        b = c &+ rotl(b &+ ((c & d) | (~c & a)) &+ x15 &+ 0x49B40821, 22)
        a = b &+ rotl(a &+ ((d & b) | (~d & c)) &+ x1 &+ 0xF61E2562, 5)
        d = a &+ rotl(d &+ ((c & a) | (~c & b)) &+ x6 &+ 0xC040B340, 9)
        c = d &+ rotl(c &+ ((b & d) | (~b & a)) &+ x11 &+ 0x265E5A51, 14)
        b = c &+ rotl(b &+ ((a & c) | (~a & d)) &+ x0 &+ 0xE9B6C7AA, 20)
        a = b &+ rotl(a &+ ((d & b) | (~d & c)) &+ x5 &+ 0xD62F105D, 5)
        d = a &+ rotl(d &+ ((c & a) | (~c & b)) &+ x10 &+ 0x02441453, 9)
        c = d &+ rotl(c &+ ((b & d) | (~b & a)) &+ x15 &+ 0xD8A1E681, 14)
        b = c &+ rotl(b &+ ((a & c) | (~a & d)) &+ x4 &+ 0xE7D3FBC8, 20)
        a = b &+ rotl(a &+ ((d & b) | (~d & c)) &+ x9 &+ 0x21E1CDE6, 5)
        d = a &+ rotl(d &+ ((c & a) | (~c & b)) &+ x14 &+ 0xC33707D6, 9)
        c = d &+ rotl(c &+ ((b & d) | (~b & a)) &+ x3 &+ 0xF4D50D87, 14)
        b = c &+ rotl(b &+ ((a & c) | (~a & d)) &+ x8 &+ 0x455A14ED, 20)
        a = b &+ rotl(a &+ ((d & b) | (~d & c)) &+ x13 &+ 0xA9E3E905, 5)
        d = a &+ rotl(d &+ ((c & a) | (~c & b)) &+ x2 &+ 0xFCEFA3F8, 9)
        c = d &+ rotl(c &+ ((b & d) | (~b & a)) &+ x7 &+ 0x676F02D9, 14)
        b = c &+ rotl(b &+ ((a & c) | (~a & d)) &+ x12 &+ 0x8D2A4C8A, 20)
        a = b &+ rotl(a &+ (b ^ c ^ d) &+ x5 &+ 0xFFFA3942, 4)
        d = a &+ rotl(d &+ (a ^ b ^ c) &+ x8 &+ 0x8771F681, 11)
        c = d &+ rotl(c &+ (d ^ a ^ b) &+ x11 &+ 0x6D9D6122, 16)
        b = c &+ rotl(b &+ (c ^ d ^ a) &+ x14 &+ 0xFDE5380C, 23)
        a = b &+ rotl(a &+ (b ^ c ^ d) &+ x1 &+ 0xA4BEEA44, 4)
        d = a &+ rotl(d &+ (a ^ b ^ c) &+ x4 &+ 0x4BDECFA9, 11)
        c = d &+ rotl(c &+ (d ^ a ^ b) &+ x7 &+ 0xF6BB4B60, 16)
        b = c &+ rotl(b &+ (c ^ d ^ a) &+ x10 &+ 0xBEBFBC70, 23)
        a = b &+ rotl(a &+ (b ^ c ^ d) &+ x13 &+ 0x289B7EC6, 4)
        d = a &+ rotl(d &+ (a ^ b ^ c) &+ x0 &+ 0xEAA127FA, 11)
        c = d &+ rotl(c &+ (d ^ a ^ b) &+ x3 &+ 0xD4EF3085, 16)
        b = c &+ rotl(b &+ (c ^ d ^ a) &+ x6 &+ 0x04881D05, 23)
        a = b &+ rotl(a &+ (b ^ c ^ d) &+ x9 &+ 0xD9D4D039, 4)
        d = a &+ rotl(d &+ (a ^ b ^ c) &+ x12 &+ 0xE6DB99E5, 11)
        c = d &+ rotl(c &+ (d ^ a ^ b) &+ x15 &+ 0x1FA27CF8, 16)
        b = c &+ rotl(b &+ (c ^ d ^ a) &+ x2 &+ 0xC4AC5665, 23)
        a = b &+ rotl(a &+ (c ^ (b | ~d)) &+ x0 &+ 0xF4292244, 6)
        d = a &+ rotl(d &+ (b ^ (a | ~c)) &+ x7 &+ 0x432AFF97, 10)
        c = d &+ rotl(c &+ (a ^ (d | ~b)) &+ x14 &+ 0xAB9423A7, 15)
        b = c &+ rotl(b &+ (d ^ (c | ~a)) &+ x5 &+ 0xFC93A039, 21)
        a = b &+ rotl(a &+ (c ^ (b | ~d)) &+ x12 &+ 0x655B59C3, 6)
        d = a &+ rotl(d &+ (b ^ (a | ~c)) &+ x3 &+ 0x8F0CCC92, 10)
        c = d &+ rotl(c &+ (a ^ (d | ~b)) &+ x10 &+ 0xFFEFF47D, 15)
        b = c &+ rotl(b &+ (d ^ (c | ~a)) &+ x1 &+ 0x85845DD1, 21)
        a = b &+ rotl(a &+ (c ^ (b | ~d)) &+ x8 &+ 0x6FA87E4F, 6)
        d = a &+ rotl(d &+ (b ^ (a | ~c)) &+ x15 &+ 0xFE2CE6E0, 10)
        c = d &+ rotl(c &+ (a ^ (d | ~b)) &+ x6 &+ 0xA3014314, 15)
        b = c &+ rotl(b &+ (d ^ (c | ~a)) &+ x13 &+ 0x4E0811A1, 21)
        a = b &+ rotl(a &+ (c ^ (b | ~d)) &+ x4 &+ 0xF7537E82, 6)
        d = a &+ rotl(d &+ (b ^ (a | ~c)) &+ x11 &+ 0xBD3AF235, 10)
        c = d &+ rotl(c &+ (a ^ (d | ~b)) &+ x2 &+ 0x2AD7D2BB, 15)
        b = c &+ rotl(b &+ (d ^ (c | ~a)) &+ x9 &+ 0xEB86D391, 21)
        a0 &+= a
        b0 &+= b
        c0 &+= c
        d0 &+= d
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
