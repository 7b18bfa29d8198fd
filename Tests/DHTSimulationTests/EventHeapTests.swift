import Testing

@testable import DHTSimulation

/// The priority queues under the simulation: time order, then insertion order.
@Suite struct EventHeapTests {
    @Test func eventsComeOutByTimeThenInInsertionOrder() {
        var heap = EventHeap<Int>()
        let times: [Int64] = [50, 10, 30, 10, 50, 20, 10, 40, 30, 0]
        for (i, t) in times.enumerated() { heap.push(at: t, i) }
        var out: [(Int64, Int)] = []
        while let e = heap.pop() { out.append((e.at, e.payload)) }
        let expected = times.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }.map { ($0.element, $0.offset) }
        #expect(out.map(\.0) == expected.map(\.0))
        #expect(out.map(\.1) == expected.map(\.1))
        #expect(heap.isEmpty)
    }

    @Test func interleavedPushesAndPopsKeepOrderAndPayloads() {
        // Payloads are arrays (references), and popped slots are reused by later pushes.
        var heap = EventHeap<[UInt8]>()
        var model: [(at: Int64, order: UInt64, payload: [UInt8])] = []
        var state: UInt64 = 0x9E37_79B9
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var order: UInt64 = 0
        for step in 0..<5_000 {
            if next() % 3 != 0 || model.isEmpty {
                let at = Int64(next() % 200)
                let payload = [UInt8](repeating: UInt8(truncatingIfNeeded: step), count: Int(next() % 5))
                heap.push(at: at, order: order, payload)
                model.append((at, order, payload))
                order += 1
            } else {
                let i = model.indices.min { (model[$0].at, model[$0].order) < (model[$1].at, model[$1].order) }!
                let expected = model.remove(at: i)
                let got = heap.pop()
                #expect(got?.at == expected.at && got?.sequence == expected.order && got?.payload == expected.payload)
            }
            #expect(heap.count == model.count)
        }
        while let e = heap.pop() {
            let i = model.indices.min { (model[$0].at, model[$0].order) < (model[$1].at, model[$1].order) }!
            let expected = model.remove(at: i)
            #expect(e.at == expected.at && e.sequence == expected.order && e.payload == expected.payload)
        }
        #expect(model.isEmpty)
    }

    @Test func timerHeapFollowsChangedTimes() {
        var timers = TimerHeap(nodes: 5)
        for (node, t) in [(0, 40), (1, 10), (2, 30), (3, 10), (4, 20)] { timers.set(node, at: Int64(t)) }
        // Equal times: the lower node first.
        #expect(timers.top?.node == 1)
        timers.set(1, at: 50)
        #expect(timers.top?.node == 3)
        timers.set(3, at: nil)
        #expect(timers.top?.node == 4)
        timers.set(0, at: 5)
        var order: [Int] = []
        while let top = timers.top {
            order.append(top.node)
            timers.set(top.node, at: nil)
        }
        #expect(order == [0, 4, 2, 1])
    }
}
