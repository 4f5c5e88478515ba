import Foundation

/// A UTC instant with millisecond resolution, written as `2026-11-23T02:47:08.123Z`.
///
/// Records hold whole milliseconds (not `Date`'s binary fraction) so that a
/// timestamp survives text → value → text unchanged; the formatter is hand-written
/// because `DateFormatter` output may vary with the platform's locale data.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millisecondsSince1970: Int64

    /// Wraps a millisecond count.
    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Rounds `date` down to the millisecond.
    public init(_ date: Date) {
        self.millisecondsSince1970 = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// The current time, to the millisecond.
    public static func now() -> Timestamp { Timestamp(Date()) }

    /// The instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }

    /// Whole seconds since the epoch (what git signatures carry).
    public var secondsSince1970: Int64 {
        let (q, r) = millisecondsSince1970.quotientAndRemainder(dividingBy: 1000)
        return r < 0 ? q - 1 : q
    }

    /// Orders by instant.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    /// ISO-8601 UTC text, always with three fraction digits.
    public var description: String {
        let ms = millisecondsSince1970
        var days = ms / 86_400_000
        var rest = ms % 86_400_000
        if rest < 0 { rest += 86_400_000; days -= 1 }
        let (y, m, d) = Timestamp.civil(fromDays: days)
        let h = rest / 3_600_000, mi = rest / 60_000 % 60, s = rest / 1000 % 60, f = rest % 1000
        func pad(_ v: Int64, _ width: Int) -> String {
            let t = String(v)
            return String(repeating: "0", count: max(0, width - t.count)) + t
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(f, 3))Z"
    }

    /// Parses exactly the form `description` writes (years 0000–9999); nil otherwise.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 24, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u[19] == 46, u[23] == 90
        else { return nil }
        func num(_ range: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in range {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int64(u[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13),
              let mi = num(14..<16), let s = num(17..<19), let f = num(20..<23),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60 else { return nil }
        let days = Timestamp.days(fromCivil: y, mo, d)
        // Reject dates like 02-31 that the arithmetic would silently roll over.
        guard Timestamp.civil(fromDays: days) == (y, mo, d) else { return nil }
        self.millisecondsSince1970 = days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + f
    }

    /// Encodes as the ISO-8601 text.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes the ISO-8601 text; any other form is a decoding error.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let t = Timestamp(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected YYYY-MM-DDTHH:MM:SS.mmmZ, got '\(text)'")
        }
        self = t
    }

    // Proleptic Gregorian calendar conversions (H. Hinnant's days_from_civil / civil_from_days).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
