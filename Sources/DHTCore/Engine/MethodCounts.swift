/// Counts by method name, for the few names a node counts under (`MethodName.known`, `other`,
/// `timeout`) held in fixed slots, so counting a call hashes no string and allocates nothing;
/// any other name (set only from outside the engine, e.g. a counter map read back from JSON)
/// goes to `extra`. A value type; not thread-safe.
public struct MethodCounts: Sendable, Hashable {
    /// The names with a fixed slot, in slot order.
    static let names = MethodName.served + [MethodName.other, "timeout"]

    private var ping = 0, store = 0, findNode = 0, findValue = 0, request = 0
    private var delete = 0, verifyUpdate = 0, other = 0, timeout = 0
    private var extra: [String: Int] = [:]

    public init() {}

    /// The counts as a map, without names whose count is zero.
    public init(_ map: [String: Int]) {
        for (name, count) in map { self[name] = count }
    }

    /// Every name counted (count not zero) and its count.
    public var dictionary: [String: Int] {
        var out = extra
        for (i, name) in Self.names.enumerated() {
            let n = slot(i)
            if n != 0 { out[name] = n }
        }
        return out
    }

    /// Adds one to `method`'s count; nil counts as `other`.
    mutating func add(_ method: ServedMethod?) {
        switch method {
        case .ping: ping &+= 1
        case .store: store &+= 1
        case .findNode: findNode &+= 1
        case .findValue: findValue &+= 1
        case .request: request &+= 1
        case .delete: delete &+= 1
        case .verifyUpdate: verifyUpdate &+= 1
        case nil: other &+= 1
        }
    }

    /// Adds one to `name`'s count.
    mutating func add(_ name: String) {
        if let method = ServedMethod(name) {
            add(method)
            return
        }
        switch name {
        case "other": other &+= 1
        case "timeout": timeout &+= 1
        default: extra[name, default: 0] &+= 1
        }
    }

    /// `name`'s count (zero when never counted).
    public subscript(name: String) -> Int {
        get {
            if let i = Self.names.firstIndex(of: name) { return slot(i) }
            return extra[name] ?? 0
        }
        set {
            switch name {
            case "ping": ping = newValue
            case "store": store = newValue
            case "findNode": findNode = newValue
            case "findValue": findValue = newValue
            case "request": request = newValue
            case "delete": delete = newValue
            case "verify_update": verifyUpdate = newValue
            case "other": other = newValue
            case "timeout": timeout = newValue
            default: extra[name] = newValue == 0 ? nil : newValue
            }
        }
    }

    private func slot(_ i: Int) -> Int {
        switch i {
        case 0: ping
        case 1: store
        case 2: findNode
        case 3: findValue
        case 4: request
        case 5: delete
        case 6: verifyUpdate
        case 7: other
        default: timeout
        }
    }
}
