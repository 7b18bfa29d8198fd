#if canImport(Glibc)
    import Glibc
#endif

/// Asks the kernel to back this process's anonymous memory with transparent huge pages, for a
/// long simulation whose engines are spread over a gigabyte: with 4 KiB pages nearly every event
/// misses the TLB. Where the kernel's THP mode is `madvise` (the default here), only regions
/// advised `MADV_HUGEPAGE` get them, and glibc advises none of its per-thread arenas.
///
/// A thread of its own reads `/proc/self/maps` every `interval` of wall time and advises every
/// private anonymous mapping of at least 2 MiB (malloc's heaps, reserved ahead, included), so
/// pages touched later come as huge pages. It changes no result, only speed. Reads the wall
/// clock (sleeps); `start` and `stop` from one thread. Linux only: elsewhere it does nothing.
final class HugePageAdvisor: @unchecked Sendable {
    private let interval: Duration
    /// madvise advice values (Linux's asm-generic/mman-common.h).
    private static let adviseHugePages: Int32 = 14  // MADV_HUGEPAGE
    private static let collapseToHugePages: Int32 = 25  // MADV_COLLAPSE (Linux 6.1)
    private var thread: pthread_t?
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Guarded by `lock`.
    private var stopping = false
    /// Bytes the last pass advised (written by the advisor's thread; read after `stop`).
    private(set) var advisedBytes = 0

    init(interval: Duration = .milliseconds(500)) {
        self.interval = interval
        lock.initialize(to: pthread_mutex_t())
        wake.initialize(to: pthread_cond_t())
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
    }

    deinit {
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(lock)
        wake.deallocate()
        lock.deallocate()
    }

    /// Whether the kernel hands out huge pages only where advised (`[madvise]` in
    /// /sys/kernel/mm/transparent_hugepage/enabled): the one mode in which advising helps.
    static var kernelWantsAdvice: Bool {
        guard let text = Self.read("/sys/kernel/mm/transparent_hugepage/enabled") else { return false }
        return text.contains("[madvise]")
    }

    func start() {
        #if os(Linux)
            let context = Unmanaged.passRetained(self).toOpaque()
            var t = pthread_t()
            let rc = pthread_create(
                &t, nil,
                { raw in
                    let advisor = Unmanaged<HugePageAdvisor>.fromOpaque(raw!).takeRetainedValue()
                    advisor.loop()
                    return nil
                }, context)
            if rc == 0 { thread = t }
        #endif
    }

    func stop() {
        guard let t = thread else { return }
        pthread_mutex_lock(lock)
        stopping = true
        pthread_cond_signal(wake)
        pthread_mutex_unlock(lock)
        pthread_join(t, nil)
        thread = nil
    }

    private func loop() {
        while true {
            adviseAll()
            pthread_mutex_lock(lock)
            if !stopping {
                var now = timespec()
                clock_gettime(CLOCK_REALTIME, &now)
                let wait = Int(interval.components.seconds) * 1_000_000_000 + Int(interval.components.attoseconds / 1_000_000_000)
                let deadline = now.tv_sec * 1_000_000_000 + now.tv_nsec + wait
                var until = timespec(tv_sec: deadline / 1_000_000_000, tv_nsec: deadline % 1_000_000_000)
                pthread_cond_timedwait(wake, lock, &until)
            }
            let done = stopping
            pthread_mutex_unlock(lock)
            if done { return }
        }
    }

    /// Advises every private anonymous mapping of 2 MiB or more.
    private func adviseAll() {
        #if os(Linux)
            guard let maps = Self.read("/proc/self/maps") else { return }
            var total = 0
            for line in maps.split(separator: "\n") {
                guard let region = Self.anonymousRegion(line), region.length >= 2 << 20 else { continue }
                let start = UnsafeMutableRawPointer(bitPattern: region.start)
                if madvise(start, region.length, Self.adviseHugePages) == 0 { total += region.length }
                // Pages touched before the advice (malloc grows a heap a few pages at a time,
                // so the 2 MiB block at its edge is always partly touched): copied into huge
                // pages now (Linux 6.1+; blocks already huge cost a look).
                if region.writable { _ = madvise(start, region.length, Self.collapseToHugePages) }
            }
            advisedBytes = total
        #endif
    }

    /// The start and length of a `/proc/self/maps` line's mapping if it is private and anonymous
    /// (no file, or glibc's `[heap]`).
    static func anonymousRegion(_ line: Substring) -> (start: UInt, length: Int, writable: Bool)? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 5, fields[1].hasSuffix("p"), fields[4] == "0" else { return nil }
        if fields.count > 5, fields[5] != "[heap]" { return nil }
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), end > start
        else { return nil }
        return (start, Int(end - start), fields[1].hasPrefix("rw"))
    }

    /// A small file of /proc or /sys, whole.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < 16 << 20 {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
