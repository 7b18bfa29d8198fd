import Testing

@testable import DHTRuntime

/// `StartupCodePages`: the smaps parser picks the block of the mapping holding an address, and
/// releasing this test process's own code mapping lowers its resident size while the code keeps
/// running (the pages come back on use).
struct StartupCodePagesTests {
    static let smaps = """
        55d0a0000000-55d0a1000000 r--p 00000000 fd:01 123 /usr/bin/dhtop
        Size:              16384 kB
        Rss:                  12 kB
        Anonymous:             0 kB
        VmFlags: rd mr mw me
        55d0a1000000-55d0a2000000 r-xp 01000000 fd:01 123 /usr/bin/dhtop
        Size:              16384 kB
        Rss:                9216 kB
        Pss:                9216 kB
        Anonymous:             4 kB
        VmFlags: rd ex mr mw me
        7f0000000000-7f0000021000 rw-p 00000000 00:00 0
        Size:                132 kB
        Rss:                 100 kB
        Anonymous:           100 kB
        VmFlags: rd wr mr mw me ac
        """

    @Test func theParserReadsTheBlockOfTheMappingHoldingTheAddress() {
        let code = StartupCodePages.mapping(containing: 0x55d0_a100_1234, smaps: Self.smaps)
        #expect(
            code
                == StartupCodePages.Mapping(
                    start: 0x55d0_a100_0000, end: 0x55d0_a200_0000, permissions: "r-xp", residentBytes: 9216 * 1024, anonymousBytes: 4096))
        let last = StartupCodePages.mapping(containing: 0x7f00_0000_0010, smaps: Self.smaps)
        #expect(last?.permissions == "rw-p")
        #expect(last?.residentBytes == 100 * 1024)
        #expect(StartupCodePages.mapping(containing: 0x1000, smaps: Self.smaps) == nil)
        #expect(StartupCodePages.mapping(containing: 0x55d0_a200_0000, smaps: Self.smaps) == nil, "the end is not in the range")
    }

    @Test func releasingTheOwnCodeMappingLowersItsResidentSizeAndTheCodeStillRuns() throws {
        let before = try #require(StartupCodePages.ownCodeMapping(), "no /proc/self/smaps entry for this code")
        #expect(before.permissions == "r-xp")
        #expect(before.residentBytes > 0)
        let released = try #require(StartupCodePages.release(), "madvise refused or the mapping has copy-on-write pages: \(before)")
        #expect(released.start == before.start)
        #expect(released.length == Int(before.end - before.start))
        // Runs code of this mapping again (the parser), which maps back only what it touches.
        let after = try #require(StartupCodePages.ownCodeMapping())
        #expect(after.start == before.start && after.end == before.end)
        #expect(after.residentBytes < released.residentBytesBefore, "resident \(after.residentBytes) bytes after, \(released.residentBytesBefore) before")
    }
}
