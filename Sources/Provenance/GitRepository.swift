import Foundation
import CGit2
#if canImport(Glibc)
import Glibc
#endif

/// libgit2 is initialised once per process; `git_libgit2_init` is itself
/// thread-safe and reference-counted, and a global `let` runs exactly once.
private let libgit2Initialised: Int32 = git_libgit2_init()

/// Makes sure libgit2 is initialised before any other libgit2 call.
func ensureLibgit2() { _ = libgit2Initialised }

extension Ledger {
    /// Initialises libgit2 on a background thread and returns at once.
    ///
    /// libgit2's initialisation parses the system's CA certificate bundle (it
    /// is built with mbedTLS), a few milliseconds that short commands would
    /// otherwise spend before their first ledger call. Commands call this first
    /// thing so that the work overlaps parsing the pipeline document; a ledger
    /// call made meanwhile simply waits for it (the initialiser runs once).
    public static func startInitialisingLibrary() {
        Thread.detachNewThread { ensureLibgit2() }
    }
}

/// Turns a negative libgit2 return code into `ProvenanceError.git` with libgit2's message.
@discardableResult
func gitCheck(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    guard code < 0 else { return code }
    var message = "no detail from libgit2"
    if let err = git_error_last(), let text = err.pointee.message {
        message = String(cString: text)
    }
    throw ProvenanceError.git(operation: operation(), code: code, message: message)
}

extension git_oid {
    /// The 40-digit hex object name.
    var commitID: CommitID {
        var copy = self
        return CommitID(String(cString: git_oid_tostr_s(&copy)))!
    }

    init(_ id: CommitID) {
        var oid = git_oid()
        _ = git_oid_fromstr(&oid, id.hex) // CommitID guarantees 40 hex digits.
        self = oid
    }
}

/// A commit's metadata as the ledger reads it.
struct GitCommitInfo {
    let id: CommitID
    let tree: git_oid
    let parents: [CommitID]
    let time: Int64
    let message: String
}

/// A thin, single-threaded handle on the ledger's repository.
///
/// Not Sendable: libgit2 objects must not be shared across threads, so each
/// `Ledger` call opens its own handle (cheap: a few small file reads).
final class GitRepository {
    let pointer: OpaquePointer
    let path: String

    /// Opens `<root>/.git`, creating a non-bare repository rooted at `root` when absent.
    ///
    /// `NO_SEARCH` keeps libgit2 from walking up into an enclosing project repository.
    /// Creation happens in a private folder whose `.git` is then renamed into place,
    /// so concurrent openers see either no repository or a complete one.
    static func openOrCreate(root: URL) throws -> GitRepository {
        if let repo = try openIfPresent(root: root) { return repo }
        let fm = FileManager.default
        let staging = root.appendingPathComponent(".git-init-\(UUID().uuidString)", isDirectory: true)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw ProvenanceError.io(path: staging.path, message: "\(error)")
        }
        defer { try? fm.removeItem(at: staging) }
        var repo: OpaquePointer?
        try gitCheck(git_repository_init(&repo, staging.path, 0), "init ledger repository in \(staging.path)")
        git_repository_free(repo)
        // The working tree is the artifact store, which the ledger never tracks;
        // excluding everything keeps `git status` in the store quiet.
        let exclude = staging.appendingPathComponent(".git/info/exclude")
        try? fm.createDirectory(at: exclude.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data("# nasbook: the ledger tracks no working-tree files\n*\n".utf8).write(to: exclude)
        // rename(2) of a directory fails when the target exists: then another opener won the race.
        if rename(staging.appendingPathComponent(".git").path, root.appendingPathComponent(".git").path) != 0,
           errno != EEXIST, errno != ENOTEMPTY {
            throw ProvenanceError.io(path: root.appendingPathComponent(".git").path,
                                     message: String(cString: strerror(errno)))
        }
        guard let opened = try openIfPresent(root: root) else {
            throw ProvenanceError.notFound("repository \(root.path)/.git after creating it")
        }
        return opened
    }

    /// Opens an existing repository only; nil when `<root>/.git` does not exist.
    static func openIfPresent(root: URL) throws -> GitRepository? {
        ensureLibgit2()
        var repo: OpaquePointer?
        let rc = git_repository_open_ext(&repo, root.path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(rc, "open ledger repository at \(root.path)")
        return GitRepository(pointer: repo!, path: root.path)
    }

    private init(pointer: OpaquePointer, path: String) {
        self.pointer = pointer
        self.path = path
    }

    deinit { git_repository_free(pointer) }

    // MARK: Writing objects

    /// Writes `data` as a blob straight into the object database.
    func writeBlob(_ data: Data) throws -> git_oid {
        var oid = git_oid()
        try data.withUnsafeBytes { buf in
            _ = try gitCheck(git_blob_create_from_buffer(&oid, pointer, buf.baseAddress, buf.count), "write blob")
        }
        return oid
    }

    /// Writes a tree of the given entries; the tree builder sorts them as git requires.
    func writeTree(_ entries: [(name: String, oid: git_oid, isTree: Bool)]) throws -> git_oid {
        var builder: OpaquePointer?
        try gitCheck(git_treebuilder_new(&builder, pointer, nil), "create tree builder")
        defer { git_treebuilder_free(builder) }
        for entry in entries {
            var oid = entry.oid
            let mode = entry.isTree ? GIT_FILEMODE_TREE : GIT_FILEMODE_BLOB
            try gitCheck(git_treebuilder_insert(nil, builder, entry.name, &oid, mode), "add tree entry '\(entry.name)'")
        }
        var out = git_oid()
        try gitCheck(git_treebuilder_write(&out, builder), "write tree")
        return out
    }

    /// Writes a commit object without moving any ref (the caller does the compare-and-swap).
    func writeCommit(tree: git_oid, parent: CommitID?, message: String, seconds: Int64) throws -> CommitID {
        var signature: UnsafeMutablePointer<git_signature>?
        try gitCheck(git_signature_new(&signature, "nasbook", "nasbook@localhost", git_time_t(seconds), 0),
                     "create signature")
        defer { git_signature_free(signature) }
        var treeOid = tree
        var treeObject: OpaquePointer?
        try gitCheck(git_tree_lookup(&treeObject, pointer, &treeOid), "look up new tree")
        defer { git_tree_free(treeObject) }
        var parentObject: OpaquePointer?
        if let parent {
            var parentOid = git_oid(parent)
            try gitCheck(git_commit_lookup(&parentObject, pointer, &parentOid), "look up parent commit \(parent)")
        }
        defer { if parentObject != nil { git_commit_free(parentObject) } }
        var parents: [OpaquePointer?] = parentObject.map { [$0] } ?? []
        var out = git_oid()
        try parents.withUnsafeMutableBufferPointer { buf in
            _ = try gitCheck(git_commit_create(&out, pointer, nil, signature, signature, "UTF-8", message, treeObject,
                                           buf.count, buf.baseAddress),
                         "write commit")
        }
        return out.commitID
    }

    // MARK: Refs

    /// The commit a ref points to, or nil when the ref does not exist.
    func referenceTarget(_ name: String) throws -> CommitID? {
        var oid = git_oid()
        let rc = git_reference_name_to_id(&oid, pointer, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(rc, "read ref \(name)")
        return oid.commitID
    }

    /// Moves `name` to `new` only if it still points to `expected` (nil: only if it does not exist).
    ///
    /// Returns false when another writer got there first. libgit2 needs `force = 1`
    /// to replace an existing ref, but with `current_id` set the replacement is
    /// conditional, so this is a compare-and-swap, never a blind overwrite.
    func compareAndSwap(_ name: String, to new: CommitID, expected: CommitID?, log: String) throws -> Bool {
        var newOid = git_oid(new)
        var ref: OpaquePointer?
        let rc: Int32
        if let expected {
            var oldOid = git_oid(expected)
            rc = git_reference_create_matching(&ref, pointer, name, &newOid, 1, &oldOid, log)
        } else {
            rc = git_reference_create(&ref, pointer, name, &newOid, 0, log)
        }
        if ref != nil { git_reference_free(ref) }
        if rc == GIT_EMODIFIED.rawValue || rc == GIT_EEXISTS.rawValue || rc == GIT_ELOCKED.rawValue {
            return false
        }
        try gitCheck(rc, "compare-and-swap ref \(name)")
        return true
    }

    /// All refs matching a glob such as `refs/heads/pipelines/*`, with the commits they point to.
    func references(matching glob: String) throws -> [(name: String, target: CommitID)] {
        var iterator: OpaquePointer?
        try gitCheck(git_reference_iterator_glob_new(&iterator, pointer, glob), "list refs \(glob)")
        defer { git_reference_iterator_free(iterator) }
        var out: [(String, CommitID)] = []
        while true {
            var ref: OpaquePointer?
            let rc = git_reference_next(&ref, iterator)
            if rc == GIT_ITEROVER.rawValue { break }
            try gitCheck(rc, "list refs \(glob)")
            defer { git_reference_free(ref) }
            let name = String(cString: git_reference_name(ref))
            var resolved: OpaquePointer?
            try gitCheck(git_reference_resolve(&resolved, ref), "resolve ref \(name)")
            defer { git_reference_free(resolved) }
            if let target = git_reference_target(resolved) {
                out.append((name, target.pointee.commitID))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    // MARK: Reading

    /// A commit's tree, parents, time and message.
    func commit(_ id: CommitID) throws -> GitCommitInfo {
        var oid = git_oid(id)
        var commit: OpaquePointer?
        try gitCheck(git_commit_lookup(&commit, pointer, &oid), "look up commit \(id)")
        defer { git_commit_free(commit) }
        var parents: [CommitID] = []
        for i in 0..<git_commit_parentcount(commit) {
            parents.append(git_commit_parent_id(commit, i).pointee.commitID)
        }
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        return GitCommitInfo(id: id, tree: git_commit_tree_id(commit).pointee, parents: parents,
                             time: Int64(git_commit_time(commit)), message: message)
    }

    /// The blob at `path` (e.g. `records/train.json`) in a commit's tree, or nil when absent.
    func blob(commit id: CommitID, path: String) throws -> Data? {
        let info = try commit(id)
        var treeOid = info.tree
        var tree: OpaquePointer?
        try gitCheck(git_tree_lookup(&tree, pointer, &treeOid), "look up tree of \(id)")
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, tree, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(rc, "find \(path) in \(id)")
        defer { git_tree_entry_free(entry) }
        return try blobData(git_tree_entry_id(entry).pointee, what: "\(id):\(path)")
    }

    /// Names and blob ids of the entries of the subtree `directory` of a commit (empty when absent).
    func entries(commit id: CommitID, directory: String) throws -> [(name: String, oid: git_oid)] {
        let info = try commit(id)
        var treeOid = info.tree
        var root: OpaquePointer?
        try gitCheck(git_tree_lookup(&root, pointer, &treeOid), "look up tree of \(id)")
        defer { git_tree_free(root) }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, root, directory)
        if rc == GIT_ENOTFOUND.rawValue { return [] }
        try gitCheck(rc, "find \(directory)/ in \(id)")
        defer { git_tree_entry_free(entry) }
        var subOid = git_tree_entry_id(entry).pointee
        var sub: OpaquePointer?
        try gitCheck(git_tree_lookup(&sub, pointer, &subOid), "look up \(directory)/ in \(id)")
        defer { git_tree_free(sub) }
        var out: [(String, git_oid)] = []
        for i in 0..<git_tree_entrycount(sub) {
            guard let e = git_tree_entry_byindex(sub, i), git_tree_entry_type(e) == GIT_OBJECT_BLOB else { continue }
            out.append((String(cString: git_tree_entry_name(e)), git_tree_entry_id(e).pointee))
        }
        return out
    }

    /// Raw bytes of a blob.
    func blobData(_ oid: git_oid, what: String) throws -> Data {
        var id = oid
        var blob: OpaquePointer?
        try gitCheck(git_blob_lookup(&blob, pointer, &id), "read blob \(what)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: raw, count: size)
    }

    /// Every commit reachable from any ref under `refs/`, each once.
    func allReachableCommits() throws -> [CommitID] {
        var walk: OpaquePointer?
        try gitCheck(git_revwalk_new(&walk, pointer), "start history walk")
        defer { git_revwalk_free(walk) }
        let rc = git_revwalk_push_glob(walk, "refs/*")
        try gitCheck(rc, "walk refs/*")
        var out: [CommitID] = []
        var oid = git_oid()
        while true {
            let next = git_revwalk_next(&oid, walk)
            if next == GIT_ITEROVER.rawValue { break }
            try gitCheck(next, "walk history")
            out.append(oid.commitID)
        }
        return out
    }
}
