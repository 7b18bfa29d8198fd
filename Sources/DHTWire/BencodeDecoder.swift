extension Bencode {
    /// Decodes exactly one value spanning all of `bytes`, within `limits`.
    ///
    /// Iterative (an explicit stack bounded by `limits.maxDepth`), so hostile nesting cannot
    /// exhaust the call stack; nothing is ever allocated from an untrusted length prefix.
    public static func decode(_ bytes: [UInt8], limits: DecodeLimits = .default) throws(DecodeError) -> BValue {
        if bytes.isEmpty { throw DecodeError(.empty, at: 0) }
        if bytes.count > limits.maxTotalBytes { throw DecodeError(.tooLarge, at: limits.maxTotalBytes) }
        let result: Result<BValue, DecodeError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = BencodeParser(buffer: buffer, limits: limits)
            do throws(DecodeError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// Bounds on what the decoder accepts. A value type.
public struct DecodeLimits: Sendable, Hashable {
    /// The deepest nesting of lists and dicts accepted (the envelope itself is depth 1).
    /// The decoder itself is iterative, but `BValue`'s own destruction, equality and encoding
    /// recurse, so keep this modest (hundreds, not millions).
    public var maxDepth: Int = 32
    /// The largest input accepted, in bytes.
    public var maxTotalBytes: Int = 1 << 20
    /// The most values (including dict keys) one input may contain.
    public var maxItems: Int = 65_536
    /// Reject any byte string that is not strict UTF-8, as Python's decoder does.
    public var requireUTF8Strings: Bool = true
    /// Read an integer beyond Int64 (Python's ints have no limit) as `Int64.max` / `Int64.min`
    /// instead of failing with `.integerOverflow`; the decoder reports that it did, so that the
    /// engine can answer the call with Python's OverflowError rather than drop it silently.
    public var saturateOverflowingIntegers: Bool = false
    public static let `default` = DecodeLimits()
    public init() {}
}

/// Why bytes are not a valid message. A value type.
public struct DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case empty, truncated, unexpectedByte, badInteger, integerOverflow, lengthTooLarge
        case depthExceeded, tooManyItems, tooLarge, trailingBytes, invalidUTF8, badEnvelope
    }

    /// For `.badEnvelope`: which rule of the message envelope (docs/protocol.md §5) was broken.
    public enum EnvelopeProblem: String, Sendable, Hashable, CaseIterable {
        case notADict, missingType, unknownType, badRPCID, badSender, badMethod, badArgs
        case missingResult, badErrorType, badErrorMessage, badLayer, layerOutOfRange
    }

    public var code: Code
    public var offset: Int
    /// Set only when `code` is `.badEnvelope`.
    public var envelope: EnvelopeProblem?

    public init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
        self.envelope = nil
    }

    /// A `.badEnvelope` error for `problem`.
    public init(envelope problem: EnvelopeProblem) {
        self.code = .badEnvelope
        self.offset = 0
        self.envelope = problem
    }

    public var description: String {
        if let envelope { return "\(code.rawValue) (\(envelope.rawValue))" }
        return "\(code.rawValue) at byte \(offset)"
    }
}

/// The decoding state machine over one borrowed buffer. Not public; lives for one `decode` call.
struct BencodeParser {
    static let e = UInt8(ascii: "e"), i = UInt8(ascii: "i"), l = UInt8(ascii: "l")
    static let d = UInt8(ascii: "d"), colon = UInt8(ascii: ":"), minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")

    /// An open list or dict.
    private struct Frame {
        var isDict: Bool
        var items: [BValue] = []
        var entries: [BKey: BValue] = [:]
        var key: BKey? = nil
    }

    let p: UnsafeBufferPointer<UInt8>
    let limits: DecodeLimits
    var pos = 0
    var itemCount = 0
    /// Set when an integer beyond Int64 was read saturated (`saturateOverflowingIntegers`).
    var overflowed = false

    init(buffer: UnsafeBufferPointer<UInt8>, limits: DecodeLimits) {
        self.p = buffer
        self.limits = limits
    }

    mutating func parseDocument() throws(DecodeError) -> BValue {
        let value = try parseValue(depth: 0)
        if pos != p.count { throw DecodeError(.trailingBytes, at: pos) }
        return value
    }

    /// Parses one value starting at `pos`, which sits inside `depth` enclosing containers,
    /// and leaves `pos` just after it.
    mutating func parseValue(depth: Int) throws(DecodeError) -> BValue {
        let n = p.count
        var stack: [Frame] = []
        while true {
            guard pos < n else { throw DecodeError(.truncated, at: pos) }
            let c = p[pos]
            var value: BValue
            let top = stack.count - 1
            if top >= 0, c == Self.e {
                if stack[top].key != nil { throw DecodeError(.unexpectedByte, at: pos) }
                pos += 1
                let frame = stack.removeLast()
                value = frame.isDict ? .dict(frame.entries) : .list(frame.items)
            } else if top >= 0, stack[top].isDict, stack[top].key == nil {
                try countItem()
                switch c {
                case Self.i: stack[top].key = .int(try parseInteger())
                case Self.zero...Self.nine: stack[top].key = .bytes(try parseByteString())
                default: throw DecodeError(.unexpectedByte, at: pos)
                }
                continue
            } else {
                try countItem()
                switch c {
                case Self.i:
                    value = .int(try parseInteger())
                case Self.zero...Self.nine:
                    value = .bytes(try parseByteString())
                case Self.l, Self.d:
                    if depth + stack.count >= limits.maxDepth { throw DecodeError(.depthExceeded, at: pos) }
                    if stack.isEmpty { stack.reserveCapacity(4) }  // a scalar allocates nothing
                    stack.append(Frame(isDict: c == Self.d))
                    pos += 1
                    continue
                default:
                    throw DecodeError(.unexpectedByte, at: pos)
                }
            }
            // A complete value: it is the result or fills the enclosing container.
            let parent = stack.count - 1
            if parent < 0 { return value }
            if stack[parent].isDict {
                // The key is always set here: a dict frame without one takes the branch above.
                if let key = stack[parent].key {
                    stack[parent].entries[key] = value
                    stack[parent].key = nil
                }
            } else {
                // Most lists on the wire are short (a contact is four items, an answer a few
                // contacts): one allocation for the first four instead of growing 1, 2, 4.
                if stack[parent].items.isEmpty { stack[parent].items.reserveCapacity(4) }
                stack[parent].items.append(value)
            }
        }
    }

    @inline(__always)
    mutating func countItem() throws(DecodeError) {
        itemCount += 1
        if itemCount > limits.maxItems { throw DecodeError(.tooManyItems, at: pos) }
    }

    /// Parses `i<decimal>e` at `pos`: no leading zeros, no `-0`, no empty digits, fits Int64.
    mutating func parseInteger() throws(DecodeError) -> Int64 {
        let n = p.count
        let start = pos
        pos += 1  // the 'i'
        guard pos < n else { throw DecodeError(.truncated, at: pos) }
        var negative = false
        if p[pos] == Self.minus {
            negative = true
            pos += 1
            guard pos < n else { throw DecodeError(.truncated, at: pos) }
        }
        let digitsStart = pos
        var magnitude: UInt64 = 0
        var saturated = false
        // Int64.min's magnitude is one more than Int64.max.
        let bound: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        while pos < n {
            let c = p[pos]
            if c == Self.e { break }
            guard c >= Self.zero, c <= Self.nine else { throw DecodeError(.badInteger, at: pos) }
            if pos > digitsStart, p[digitsStart] == Self.zero { throw DecodeError(.badInteger, at: digitsStart) }
            pos += 1
            if saturated { continue }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(c - Self.zero))
            if o1 || o2 || s > bound {
                guard limits.saturateOverflowingIntegers else { throw DecodeError(.integerOverflow, at: start) }
                saturated = true
                magnitude = bound
                continue
            }
            magnitude = s
        }
        guard pos < n else { throw DecodeError(.truncated, at: pos) }
        if pos == digitsStart { throw DecodeError(.badInteger, at: pos) }
        if negative, magnitude == 0 { throw DecodeError(.badInteger, at: start) }
        pos += 1  // the 'e'
        if saturated {
            overflowed = true
            return negative ? Int64.min : Int64.max
        }
        if negative { return magnitude == bound ? Int64.min : -Int64(magnitude) }
        return Int64(magnitude)
    }

    /// Parses `<length>:<bytes>` at `pos`, checking the length against what is left before
    /// allocating, and the bytes as strict UTF-8 when the limits ask for it.
    mutating func parseByteString() throws(DecodeError) -> [UInt8] {
        Array(try parseRawString())
    }

    /// Like `parseByteString`, but returns the bytes in place, without copying them.
    mutating func parseRawString() throws(DecodeError) -> UnsafeBufferPointer<UInt8> {
        let n = p.count
        let start = pos
        var length = 0
        // No string can be longer than the largest input accepted; stopping there also keeps
        // the number from overflowing.
        let ceiling = min(limits.maxTotalBytes, 1 << 40)
        while pos < n, p[pos] >= Self.zero, p[pos] <= Self.nine {
            if pos > start, p[start] == Self.zero { throw DecodeError(.badInteger, at: start) }
            length = length * 10 + Int(p[pos] - Self.zero)
            if length > ceiling { throw DecodeError(.lengthTooLarge, at: start) }
            pos += 1
        }
        guard pos < n else { throw DecodeError(.truncated, at: pos) }
        guard p[pos] == Self.colon else { throw DecodeError(.unexpectedByte, at: pos) }
        pos += 1
        guard length <= n - pos else { throw DecodeError(.truncated, at: n) }
        let slice = UnsafeBufferPointer(rebasing: p[pos..<(pos + length)])
        if limits.requireUTF8Strings, !UTF8Check.isValid(slice) {
            throw DecodeError(.invalidUTF8, at: pos)
        }
        pos += length
        return slice
    }
}
