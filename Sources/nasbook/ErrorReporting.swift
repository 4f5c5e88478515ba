import ArgumentParser
import Foundation

/// Runs a command body so that any failure becomes one line on stderr,
/// `nasbook: error: <message>`, and a non-zero exit — never a stack trace.
///
/// Every command's `run()` goes through this, so error formatting lives in
/// one place. `ExitCode` and ArgumentParser's own errors pass through
/// untouched: they already carry the exit status and usage text.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        printError("\(error)")
        throw ExitCode.failure
    }
}

/// Prints `nasbook: error: <message>` on stderr, flattened to one line.
func printError(_ message: String) {
    let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    FileHandle.standardError.write(Data("nasbook: error: \(oneLine)\n".utf8))
}
