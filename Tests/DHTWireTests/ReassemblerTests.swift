import Testing
import DHTWire

/// Fragment reassembly: order, duplicates, time, memory and set limits, source separation.
@Suite struct ReassemblerTests {
    static let rpc = NodeID(hex: "cd290770827d00c6df69e20156883e929dd35d5b")!
    static let t0 = Timestamp(unixSeconds: 1_000_000)
    static let alice = Endpoint(address: Endpoint.loopback, port: 1000)
    static let bob = Endpoint(address: Endpoint.loopback, port: 2000)

    /// Frames `payload` and returns each fragment's header and payload.
    static func fragments(_ payload: [UInt8], rpcID: NodeID = rpc) throws -> [(FrameHeader, ArraySlice<UInt8>)] {
        try Framing.datagrams(payload: payload, rpcID: rpcID).map { d in
            guard case .framed(let h, let p) = Framing.classify(d) else { fatalError("not framed") }
            return (h, p)
        }
    }

    static let message = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    @Test func outOfOrderWithDuplicates() throws {
        var r = Reassembler<Endpoint>()
        let f = try Self.fragments(Self.message)
        #expect(f.count == 3)
        #expect(r.receive(f[2].0, payload: f[2].1, from: Self.alice, now: Self.t0) == .pending)
        #expect(r.receive(f[0].0, payload: f[0].1, from: Self.alice, now: Self.t0) == .pending)
        #expect(r.receive(f[0].0, payload: f[0].1, from: Self.alice, now: Self.t0) == .pending)
        #expect(r.duplicateFragments == 1)
        #expect(r.bufferedBytes == f[2].1.count + f[0].1.count)
        #expect(r.receive(f[1].0, payload: f[1].1, from: Self.alice, now: Self.t0) == .complete(Self.message))
        #expect(r.pendingSets == 0 && r.bufferedBytes == 0)
        #expect(r.drops.isEmpty)
    }

    @Test func singleFragmentCompletesAtOnce() {
        var r = Reassembler<Endpoint>()
        let h = FrameHeader(total: 1, seq: 0, rpcID: Self.rpc)
        #expect(r.receive(h, payload: [1, 2, 3], from: Self.alice, now: Self.t0) == .complete([1, 2, 3]))
        #expect(
            r.receive(
                FrameHeader(total: 2, seq: 5, rpcID: Self.rpc), payload: [], from: Self.alice,
                now: Self.t0) == .dropped(.badHeader))
    }

    @Test func timeoutsUseTheGivenTimestamps() throws {
        var r = Reassembler<Endpoint>()
        let f = try Self.fragments(Self.message)
        #expect(r.receive(f[0].0, payload: f[0].1, from: Self.alice, now: Self.t0) == .pending)
        #expect(r.expire(now: Self.t0 + .seconds(10)) == 0)
        #expect(r.expire(now: Self.t0 + .seconds(11)) == 1)
        #expect(r.drops[.expired] == 1 && r.pendingSets == 0 && r.bufferedBytes == 0)
        // A late fragment for a stale set restarts it rather than completing with old data.
        _ = r.receive(f[0].0, payload: f[0].1, from: Self.alice, now: Self.t0)
        _ = r.receive(f[1].0, payload: f[1].1, from: Self.alice, now: Self.t0 + .seconds(5))
        #expect(r.receive(f[2].0, payload: f[2].1, from: Self.alice, now: Self.t0 + .seconds(12)) == .pending)
        #expect(r.drops[.expired] == 2)
        #expect(r.pendingSets == 1)
    }

    @Test func mismatchedTotalDropsTheSet() throws {
        var r = Reassembler<Endpoint>()
        let f = try Self.fragments(Self.message)
        _ = r.receive(f[0].0, payload: f[0].1, from: Self.alice, now: Self.t0)
        let liar = FrameHeader(total: 4, seq: 1, rpcID: Self.rpc)
        #expect(r.receive(liar, payload: f[1].1, from: Self.alice, now: Self.t0) == .dropped(.totalMismatch))
        #expect(r.pendingSets == 0 && r.bufferedBytes == 0 && r.drops[.totalMismatch] == 1)
    }

    @Test func memoryCapEvictsOldestAndRejectsOversizedSets() throws {
        var limits = ReassemblyLimits()
        limits.maxBufferedBytes = 20_000
        var r = Reassembler<Endpoint>(limits: limits)
        let a = try Self.fragments(Self.message, rpcID: NodeID(high: 1, middle: 0, low: 0))
        let b = try Self.fragments(Self.message, rpcID: NodeID(high: 2, middle: 0, low: 0))
        _ = r.receive(a[0].0, payload: a[0].1, from: Self.alice, now: Self.t0)
        _ = r.receive(a[1].0, payload: a[1].1, from: Self.alice, now: Self.t0)
        #expect(r.bufferedBytes == 2 * 8146)
        // b's first fragment does not fit beside a: the older set a is evicted.
        #expect(r.receive(b[0].0, payload: b[0].1, from: Self.alice, now: Self.t0 + .seconds(1)) == .pending)
        #expect(r.drops[.memoryCap] == 1 && r.pendingSets == 1 && r.bufferedBytes == 8146)
        // A set bigger than the whole cap is dropped on its own.
        limits.maxBufferedBytes = 10_000
        r = Reassembler<Endpoint>(limits: limits)
        _ = r.receive(a[0].0, payload: a[0].1, from: Self.alice, now: Self.t0)
        #expect(r.receive(a[1].0, payload: a[1].1, from: Self.alice, now: Self.t0) == .dropped(.memoryCap))
        #expect(r.pendingSets == 0 && r.bufferedBytes == 0)
    }

    @Test func pendingSetCapEvictsOldest() {
        var limits = ReassemblyLimits()
        limits.maxPendingSets = 4
        var r = Reassembler<Endpoint>(limits: limits)
        for i in 0..<10 {
            let h = FrameHeader(total: 2, seq: 0, rpcID: NodeID(high: UInt64(i), middle: 0, low: 0))
            #expect(r.receive(h, payload: [UInt8(i)], from: Self.alice, now: Self.t0 + .seconds(i)) == .pending)
            #expect(r.pendingSets <= 4)
        }
        #expect(r.drops[.tooManyPending] == 6)
        // The newest sets survive and still complete.
        let last = FrameHeader(total: 2, seq: 1, rpcID: NodeID(high: 9, middle: 0, low: 0))
        #expect(r.receive(last, payload: [99], from: Self.alice, now: Self.t0 + .seconds(9)) == .complete([9, 99]))
    }

    @Test func sameRPCIDFromTwoSourcesStaysApart() throws {
        var r = Reassembler<Endpoint>()
        let fromAlice = try Self.fragments(Self.message)
        let other = Array(Self.message.reversed())
        let fromBob = try Self.fragments(other)
        for i in 0..<2 {
            #expect(r.receive(fromAlice[i].0, payload: fromAlice[i].1, from: Self.alice, now: Self.t0) == .pending)
            #expect(r.receive(fromBob[i].0, payload: fromBob[i].1, from: Self.bob, now: Self.t0) == .pending)
        }
        #expect(r.pendingSets == 2)
        #expect(r.receive(fromBob[2].0, payload: fromBob[2].1, from: Self.bob, now: Self.t0) == .complete(other))
        #expect(r.receive(fromAlice[2].0, payload: fromAlice[2].1, from: Self.alice, now: Self.t0) == .complete(Self.message))
    }
}
