/// A binary min-heap of simulation events ordered by time, then by a sequence number: given at
/// insertion by `push(at:_:)` (events due at the same instant come out in the order they were
/// scheduled), or chosen by the caller with `push(at:order:_:)` (deliveries: sender and its send
/// sequence, the same however the nodes are partitioned). Use one kind of push per heap. A value
/// type; not thread-safe.
struct EventHeap<Payload> {
    struct Entry {
        var at: Int64
        var sequence: UInt64
        var payload: Payload
    }

    private(set) var entries: [Entry] = []
    private var nextSequence: UInt64 = 0

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    /// The time of the earliest event.
    var nextTime: Int64? { entries.first?.at }

    @inline(__always)
    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.at < b.at || (a.at == b.at && a.sequence < b.sequence)
    }

    mutating func push(at: Int64, _ payload: Payload) {
        push(Entry(at: at, sequence: nextSequence, payload: payload))
        nextSequence &+= 1
    }

    /// Adds an event ordered after earlier times and, at its time, by `order` (unique per event).
    mutating func push(at: Int64, order: UInt64, _ payload: Payload) {
        push(Entry(at: at, sequence: order, payload: payload))
    }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var i = entries.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(entries[i], entries[parent]) else { break }
            entries.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the earliest event.
    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        let last = entries.count - 1
        entries.swapAt(0, last)
        let top = entries.removeLast()
        var i = 0
        let n = entries.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n, Self.before(entries[l], entries[m]) { m = l }
            if r < n, Self.before(entries[r], entries[m]) { m = r }
            if m == i { break }
            entries.swapAt(i, m)
            i = m
        }
        return top
    }
}

/// A min-heap of one wake-up time per node, indexed so that a node's time can be changed in
/// O(log n). Ties go to the lower node index (deterministic). A value type; not thread-safe.
struct TimerHeap {
    private var heap: [Int32] = []
    private var position: [Int32]
    private(set) var times: [Int64]

    init(nodes: Int) {
        position = Array(repeating: -1, count: nodes)
        times = Array(repeating: .max, count: nodes)
    }

    /// The node due first and its time.
    var top: (node: Int, at: Int64)? {
        guard let n = heap.first else { return nil }
        return (Int(n), times[Int(n)])
    }

    @inline(__always)
    private func before(_ a: Int32, _ b: Int32) -> Bool {
        let ta = times[Int(a)], tb = times[Int(b)]
        return ta < tb || (ta == tb && a < b)
    }

    /// Sets `node`'s wake-up time (`nil` removes it).
    mutating func set(_ node: Int, at: Int64?) {
        let p = Int(position[node])
        guard let at else {
            if p >= 0 { remove(at: p) }
            times[node] = .max
            return
        }
        times[node] = at
        if p < 0 {
            heap.append(Int32(node))
            position[node] = Int32(heap.count - 1)
            siftUp(heap.count - 1)
        } else {
            siftUp(p)
            siftDown(Int(position[node]))
        }
    }

    private mutating func remove(at p: Int) {
        let node = heap[p]
        let last = heap.count - 1
        swap(p, last)
        heap.removeLast()
        position[Int(node)] = -1
        if p < heap.count {
            siftUp(p)
            siftDown(Int(position[Int(heap[p])]))
        }
    }

    private mutating func swap(_ i: Int, _ j: Int) {
        heap.swapAt(i, j)
        position[Int(heap[i])] = Int32(i)
        position[Int(heap[j])] = Int32(j)
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard before(heap[i], heap[parent]) else { break }
            swap(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n, before(heap[l], heap[m]) { m = l }
            if r < n, before(heap[r], heap[m]) { m = r }
            if m == i { return }
            swap(i, m)
            i = m
        }
    }
}
