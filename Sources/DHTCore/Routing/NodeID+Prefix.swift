import DHTWire

/// Prefix arithmetic on ids, used by k-buckets: a bucket is every id sharing a prefix of some
/// length, so its bounds are that prefix followed by all zeros or all ones.
extension NodeID {
    /// The three words of a mask whose first `length` bits (from the most significant) are ones.
    static func prefixMaskWords(_ length: Int) -> (UInt64, UInt64, UInt32) {
        precondition((0...NodeID.bitCount).contains(length))
        let h: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : UInt64.max << UInt64(64 - length))
        let m: UInt64 = length >= 128 ? .max : (length <= 64 ? 0 : UInt64.max << UInt64(128 - length))
        let l: UInt32 = length >= 160 ? .max : (length <= 128 ? 0 : UInt32.max << UInt32(160 - length))
        return (h, m, l)
    }

    /// The first `length` bits of `self`, followed by zeros: the lowest id with that prefix.
    func keepingPrefix(_ length: Int) -> NodeID {
        let (h, m, l) = NodeID.prefixMaskWords(length)
        return NodeID(high: high & h, middle: middle & m, low: low & l)
    }

    /// The first `length` bits of `self`, followed by ones: the highest id with that prefix.
    func fillingBelowPrefix(_ length: Int) -> NodeID {
        let (h, m, l) = NodeID.prefixMaskWords(length)
        return NodeID(high: high | ~h, middle: middle | ~m, low: low | ~l)
    }

    /// The first `length` bits of `self` followed by the remaining bits of `suffixSource`.
    func replacingSuffix(after length: Int, with suffixSource: NodeID) -> NodeID {
        let (h, m, l) = NodeID.prefixMaskWords(length)
        return NodeID(
            high: (high & h) | (suffixSource.high & ~h),
            middle: (middle & m) | (suffixSource.middle & ~m),
            low: (low & l) | (suffixSource.low & ~l)
        )
    }
}
