import Foundation

/// The one JSON form the ledger writes: `JSONEncoder` with sorted keys, no
/// pretty-printing and unescaped slashes, so equal values give byte-equal text
/// and git stores each distinct record once. Decoding is plain `JSONDecoder`.
public enum CanonicalJSON {
    /// Canonical UTF-8 bytes of `value`.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw ProvenanceError.encodingFailed(String(describing: T.self), reason: "\(error)")
        }
    }

    /// Canonical text of `value`.
    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// Decodes `data`, naming `what` (a path or location) in the error.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ProvenanceError.malformedRecord(what, reason: "\(error)")
        }
    }
}
