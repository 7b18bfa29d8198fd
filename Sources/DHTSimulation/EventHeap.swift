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

    /// What the heap orders: plain words, so that sifting copies no payload (a payload holding
    /// a reference would be retained and released at every step).
    private struct Key {
        var at: Int64
        var sequence: UInt64
        var slot: Int32
    }

    private var keys: [Key] = []
    /// Payloads by slot; a popped payload's slot is reused.
    private var slots: [Payload?] = []
    private var freeSlots: [Int32] = []
    private var nextSequence: UInt64 = 0

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }
    /// The time of the earliest event.
    var nextTime: Int64? { keys.first?.at }

    @inline(__always)
    private static func before(_ a: Key, _ b: Key) -> Bool {
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
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            slots[Int(free)] = entry.payload
        } else {
            slot = Int32(slots.count)
            slots.append(entry.payload)
        }
        let key = Key(at: entry.at, sequence: entry.sequence, slot: slot)
        keys.append(key)
        // Sift up with a hole: parents move down until the key's place is found.
        keys.withUnsafeMutableBufferPointer { k in
            var i = k.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard Self.before(key, k[parent]) else { break }
                k[i] = k[parent]
                i = parent
            }
            k[i] = key
        }
    }

    /// Removes and returns the earliest event.
    mutating func pop() -> Entry? {
        guard let top = keys.first else { return nil }
        let last = keys.removeLast()
        if !keys.isEmpty {
            // Sift the last key down from the root with a hole.
            keys.withUnsafeMutableBufferPointer { k in
                let n = k.count
                var i = 0
                while true {
                    let l = 2 * i + 1
                    guard l < n else { break }
                    let r = l + 1
                    let m = r < n && Self.before(k[r], k[l]) ? r : l
                    guard Self.before(k[m], last) else { break }
                    k[i] = k[m]
                    i = m
                }
                k[i] = last
            }
        }
        let payload = slots[Int(top.slot)].take()!
        freeSlots.append(top.slot)
        return Entry(at: top.at, sequence: top.sequence, payload: payload)
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
