/// A first-in first-out buffer that keeps only the newest `capacity` elements.
///
/// Contract: a value type; appending beyond capacity drops the oldest element and counts it in
/// `dropped`. Not synchronised: owned by whoever owns the `ConsoleState` (the UI thread).
public struct RingBuffer<Element>: Sendable where Element: Sendable {
    public let capacity: Int
    private var storage: [Element] = []
    private var start = 0
    /// How many elements were pushed out by newer ones.
    public private(set) var dropped = 0

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    /// Appends `element`, dropping the oldest one when full.
    public mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[start] = element
            start = (start + 1) % capacity
            dropped += 1
        }
    }

    /// The element at `index`, 0 being the oldest kept.
    public subscript(index: Int) -> Element {
        get { storage[(start + index) % storage.count] }
        set { storage[(start + index) % storage.count] = newValue }
    }

    /// The newest element.
    public var last: Element? { storage.isEmpty ? nil : self[storage.count - 1] }

    /// All kept elements, oldest first.
    public var elements: [Element] { (0..<storage.count).map { self[$0] } }

    /// Removes every element (the drop count stays).
    public mutating func removeAll() {
        storage.removeAll()
        start = 0
    }
}
