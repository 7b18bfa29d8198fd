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
