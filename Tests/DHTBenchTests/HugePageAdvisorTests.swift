@testable import DHTBench
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The simulation's huge-page advice: which `/proc/self/maps` lines it advises, and that a
/// running advisor marks this process's large anonymous mappings (`hg` in `VmFlags`).
@Suite struct HugePageAdvisorTests {
    @Test func readsOnlyPrivateAnonymousMappings() throws {
        let heap = try #require(HugePageAdvisor.anonymousRegion("7f9d64000000-7f9d68000000 rw-p 00000000 00:00 0 "))
        #expect(heap.start == 0x7f9d_6400_0000 && heap.length == 64 << 20 && heap.writable)
        let reserved = try #require(HugePageAdvisor.anonymousRegion("7f9d68000000-7f9d6c000000 ---p 00000000 00:00 0"))
        #expect(!reserved.writable)
        #expect(HugePageAdvisor.anonymousRegion("5647b9757000-5647b9778000 rw-p 00000000 00:00 0          [heap]") != nil)
        // Files, shared mappings, the stack and garbage are left alone.
        #expect(HugePageAdvisor.anonymousRegion("5647b4884000-5647b48c4000 rw-p 00575000 fe:00 5310308   /usr/bin/dhtop") == nil)
        #expect(HugePageAdvisor.anonymousRegion("7f0000000000-7f0000400000 rw-s 00000000 00:01 1234") == nil)
        #expect(HugePageAdvisor.anonymousRegion("7ffd00000000-7ffd00400000 rw-p 00000000 00:00 0          [stack]") == nil)
        #expect(HugePageAdvisor.anonymousRegion("zz-yy rw-p 0 00:00 0") == nil)
        #expect(HugePageAdvisor.anonymousRegion("2000-1000 rw-p 00000000 00:00 0") == nil)
        #expect(HugePageAdvisor.anonymousRegion("") == nil)
    }

    #if os(Linux)
        @Test(.enabled(if: HugePageAdvisor.kernelWantsAdvice)) func advisesTheProcesssLargeAnonymousMappings() throws {
            let size = 8 << 20
            let mapped: UnsafeMutableRawPointer? = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            let block = try #require(mapped.flatMap { $0 == UnsafeMutableRawPointer(bitPattern: -1) ? nil : $0 })
            defer { munmap(block, size) }
            let advisor = HugePageAdvisor(interval: .milliseconds(10))
            advisor.start()
            advisor.stop()
            #expect(advisor.advisedBytes >= size)
            // The block's entry in smaps: its header line, then its VmFlags line.
            let address = UInt(bitPattern: block)
            let smaps = try #require(HugePageAdvisor.read("/proc/self/smaps"))
            var inBlock = false
            var flagged = false
            for line in smaps.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count >= 5, fields[1].count == 4, case let bounds = fields[0].split(separator: "-"), bounds.count == 2,
                    let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16)
                {
                    inBlock = start <= address && address < end
                } else if inBlock, line.hasPrefix("VmFlags:") {
                    flagged = fields.contains("hg")
                    break
                }
            }
            #expect(flagged, "the mapping is not advised MADV_HUGEPAGE")
        }
    #endif
}
