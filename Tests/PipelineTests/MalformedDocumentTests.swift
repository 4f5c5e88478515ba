import XCTest
@testable import Pipeline

/// Feeds truncated and garbled documents through parse + validate: any input
/// must give diagnostics, never a crash, and every diagnostic must point inside
/// the document.
final class MalformedDocumentTests: XCTestCase {
    /// A small deterministic generator so failures reproduce (no global RNG).
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private func checkSurvives(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let result = Fixtures.check(text, files: ["data/t.csv"])
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        for d in result.diagnostics {
            XCTAssertGreaterThanOrEqual(d.location.line, 1, "\(d)", file: file, line: line)
            XCTAssertLessThanOrEqual(d.location.line, max(lineCount, 1) + 1, "\(d)", file: file, line: line)
            XCTAssertGreaterThanOrEqual(d.location.column, 1, "\(d)", file: file, line: line)
        }
        XCTAssertEqual(result.pipeline == nil, result.diagnostics.hasErrors, file: file, line: line)
    }

    func testEveryTruncationOfTheDemo() {
        let scalars = Array(Fixtures.demo.unicodeScalars)
        for end in stride(from: 0, through: scalars.count, by: 3) {
            checkSurvives(String(String.UnicodeScalarView(scalars[..<end])))
        }
    }

    func testRandomGarbling() {
        var rng = SplitMix64(state: 42)
        let alphabet = Array("-:`{}[]\"'\n #$&*!|>%@\t\u{00e9}\u{0}abc".unicodeScalars)
        let base = Array(Fixtures.demo.unicodeScalars)
        for _ in 0..<300 {
            var scalars = base
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                let i = Int.random(in: 0..<scalars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: scalars[i] = alphabet.randomElement(using: &rng)!
                case 1: scalars.insert(alphabet.randomElement(using: &rng)!, at: i)
                default: scalars.remove(at: i)
                }
            }
            checkSurvives(String(String.UnicodeScalarView(scalars)))
        }
    }

    func testPathologicalInputs() {
        for text in ["", "---", "---\n---", "```stage", "```stage a\n", "```stage a\n&anchor\n*anchor\n```",
                     "```stage a\nop: [\n```", "```stage a\n? complex\n: key\n```",
                     "```stage a\nop: text.write\nwith: {text: *x}\n```", "\u{feff}---\ntitle: x\n---\n",
                     String(repeating: "```stage a\nop: text.concat\nneeds: [a]\n```\n", count: 50)] {
            checkSurvives(text)
        }
    }
}
