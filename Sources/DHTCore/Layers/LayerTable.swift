/// The engine's layers by id. The first layer created is held in a field of its own, so the
/// common case (a node on one layer, looked up on every datagram) costs a compare instead of a
/// hash and a probe into a dictionary elsewhere in memory. Owned by `DHTEngine`; not
/// thread-safe.
struct LayerTable {
    private var firstID = Int.min
    private var first: LayerContext?
    private var others: [Int: LayerContext] = [:]

    subscript(layer: Int) -> LayerContext? {
        get {
            if layer == firstID { return first }
            return others.isEmpty ? nil : others[layer]
        }
        set {
            if first == nil || layer == firstID {
                if let newValue {
                    firstID = layer
                    first = newValue
                } else if layer == firstID {
                    // The first goes: one of the others (if any) takes its place.
                    if let next = others.keys.min() {
                        firstID = next
                        first = others.removeValue(forKey: next)
                    } else {
                        firstID = .min
                        first = nil
                    }
                }
            } else {
                others[layer] = newValue
            }
        }
    }

    /// Every layer, the first first.
    var values: [LayerContext] {
        guard let first else { return [] }
        return [first] + others.values
    }
}
