import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DiskBlobStore {
    /// Every object file in the store, by digest, plus the paths of files
    /// under `objects/` whose names are not digests.
    func enumerateObjects() throws -> (objects: [Digest], strays: [String]) {
        var objects: [Digest] = []
        var strays: [String] = []
        for fanOut in try Posix.listDirectory(objectsPath) ?? [] {
            guard let fanOut else { strays.append("\(objectsPath)/?"); continue }
            let dir = "\(objectsPath)/\(fanOut)"
            guard let names = try Posix.listDirectory(dir) else { continue }
            for name in names {
                if let name, fanOut.utf8.count == 2, let digest = Digest("sha256:\(fanOut)\(name)") {
                    objects.append(digest)
                } else {
                    strays.append("\(dir)/\(name ?? "?")")
                }
            }
        }
        return (objects.sorted(), strays.sorted())
    }

    /// Decompresses and re-hashes the given objects (all objects when nil) and
    /// reports which are missing or corrupt. Objects are checked in parallel,
    /// one per core. Holds the shared store lock, so it never races a gc.
    public func verify(digests: [Digest]? = nil) throws -> VerifyReport {
        let lock = try StoreLock.acquire(.shared, root: root)
        defer { lock.release() }
        var report = VerifyReport()
        let targets: [Digest]
        if let digests {
            targets = Array(Set(digests)).sorted()
        } else {
            (targets, report.strays) = try enumerateObjects()
        }
        let results = ResultSlots<Result<Int64, Error>>(count: targets.count)
        let next = Counter()
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, targets.count))
        // Workers pull the next index from a shared counter, so one huge object does not stall a static partition.
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(below: targets.count) {
                let digest = targets[i]
                results[i] = Result { try ObjectDecoder.decode(digest, at: self.objectPath(for: digest)) { _ in } }
            }
        }
        for (digest, result) in zip(targets, results.values) {
            switch result {
            case .success(let size)?:
                report.verified += 1
                report.verifiedBytes += size
            case .failure(ArtifactStoreError.objectMissing)?:
                report.missing.append(digest)
            case .failure(let error)?:
                report.corrupt.append(.init(digest: digest, message: "\(error)"))
            case nil:
                report.corrupt.append(.init(digest: digest, message: "object \(digest) was not checked"))
            }
        }
        return report
    }
}

/// Fixed-size result slots written by concurrent workers, one slot each.
final class ResultSlots<T>: @unchecked Sendable {
    // @unchecked: every access holds `mutex`.
    private var slots: [T?]
    private let mutex = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    subscript(index: Int) -> T? {
        get { mutex.withLock { slots[index] } }
        set { mutex.withLock { slots[index] = newValue } }
    }

    var values: [T?] { mutex.withLock { slots } }
}

/// A shared work counter handing out indices 0, 1, 2, … exactly once.
final class Counter: @unchecked Sendable {
    // @unchecked: `value` is only touched while holding `mutex`.
    private var value = 0
    private let mutex = NSLock()

    func take(below limit: Int) -> Int? {
        mutex.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
