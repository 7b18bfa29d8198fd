#if canImport(Glibc)
    import Glibc
#endif

/// Drops this process's page-table entries for its own executable code once start-up is over,
/// so that the resident set of an idle node holds the code it still runs. Call it from any
/// thread, once start-up is done; it reads `/proc/self/smaps`, never the clock.
///
/// Why: the kernel maps a binary's code a page-cache folio at a time (on 6.18, runs of 100 KB
/// and more around each page touched), and start-up — argument parsing, opening the database,
/// the control socket, the join — touches code all over the binary: an idle `dhtop node` kept
/// about 10 MB of its 17 MB code mapping resident, most of it code that never runs again.
/// `MADV_DONTNEED` on that mapping removes the mappings, not the pages: they stay in the page
/// cache (shared, reclaimable), and whatever code runs later is mapped again on its first use,
/// as at start-up. `MADV_RANDOM` (no fault-around) had no effect on this kernel.
///
/// Only a mapping that is read-and-execute, private and holds no copy-on-write page is dropped
/// (a debugger's breakpoint or a text relocation would make one): for such a mapping the pages
/// read back are the file's own bytes, so nothing is lost. Returns nil when there is no such
/// mapping (no /proc, or a written page) or madvise refused.
public enum StartupCodePages {
    /// What `release()` dropped: the executable mapping and how much of it was resident.
    public struct Released: Sendable, Equatable {
        public let start: UInt
        public let length: Int
        public let residentBytesBefore: Int
    }

    /// The executable mapping that holds this module's code, as `/proc/self/smaps` describes it.
    public struct Mapping: Sendable, Equatable {
        public let start: UInt
        public let end: UInt
        public let permissions: String
        public let residentBytes: Int
        public let anonymousBytes: Int
    }

    public static func release() -> Released? {
        guard let mapping = ownCodeMapping(), mapping.permissions == "r-xp", mapping.anonymousBytes == 0 else { return nil }
        let length = Int(mapping.end - mapping.start)
        guard let address = UnsafeMutableRawPointer(bitPattern: mapping.start),
            madvise(address, length, MADV_DONTNEED) == 0
        else { return nil }
        return Released(start: mapping.start, length: length, residentBytesBefore: mapping.residentBytes)
    }

    /// The mapping that contains this function's code, or nil without /proc.
    public static func ownCodeMapping() -> Mapping? {
        let probe: @convention(c) () -> Void = {}
        let address = unsafeBitCast(probe, to: UInt.self)
        guard let text = readSmaps() else { return nil }
        return mapping(containing: address, smaps: text)
    }

    /// Parses `/proc/PID/smaps` text: the block of the mapping whose range holds `address`.
    static func mapping(containing address: UInt, smaps: String) -> Mapping? {
        var found: (start: UInt, end: UInt, permissions: String)?
        var resident = 0
        var anonymous = 0
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.contains("-"), !first.hasSuffix(":"), fields.count >= 2 {
                if let found {
                    return Mapping(start: found.start, end: found.end, permissions: found.permissions, residentBytes: resident, anonymousBytes: anonymous)
                }
                let bounds = first.split(separator: "-")
                guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16) else { continue }
                if start <= address && address < end { found = (start, end, String(fields[1])) }
            } else if found != nil, fields.count >= 2, let kilobytes = Int(fields[1]) {
                if first == "Rss:" { resident = kilobytes * 1024 }
                if first == "Anonymous:" { anonymous = kilobytes * 1024 }
            }
        }
        guard let found else { return nil }
        return Mapping(start: found.start, end: found.end, permissions: found.permissions, residentBytes: resident, anonymousBytes: anonymous)
    }

    /// `/proc/self/smaps` (a few tens of KB), or nil when it cannot be read.
    static func readSmaps() -> String? {
        let fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            // A bound: smaps of a process with thousands of mappings is still well under this.
            guard bytes.count <= 16 << 20 else { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
