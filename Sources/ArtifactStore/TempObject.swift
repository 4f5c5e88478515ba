#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A freshly created, uniquely named temp file that is removed unless it is
/// renamed into place. Used for every write, so readers never see a partial file.
final class TempObject {
    /// Absolute path of the temp file.
    let path: String
    /// Open, write-only descriptor.
    let fd: Int32
    private var isOpen = true
    private var isCommitted = false

    /// Creates `<directory>/<prefix><pid>-<random>.tmp`, making `directory` if needed.
    /// `O_EXCL` guarantees no other writer shares the file.
    init(directory: String, prefix: String = "put-") throws {
        try Posix.makeDirectories(directory)
        let path = "\(directory)/\(prefix)\(Posix.uniqueSuffix()).tmp"
        self.fd = try Posix.openFile(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, operation: "create")
        self.path = path
    }

    deinit { discard() }

    /// Marks the file as renamed into place, so `discard` leaves it alone.
    func committed() {
        isCommitted = true
        closeFile()
    }

    /// Closes the descriptor and removes the file unless it was committed.
    func discard() {
        closeFile()
        if !isCommitted {
            unlink(path)
            isCommitted = true // removed once; never unlink a path someone else may reuse
        }
    }

    private func closeFile() {
        if isOpen {
            close(fd)
            isOpen = false
        }
    }
}
