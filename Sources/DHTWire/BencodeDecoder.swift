// STUB: replaced by the bounded decoder (wire work). Signature is fixed.
extension Bencode {
    /// Decodes exactly one value spanning all of `bytes`, within `limits`.
    public static func decode(_ bytes: [UInt8], limits: DecodeLimits = .default) throws(DecodeError) -> BValue {
        throw DecodeError(.unexpectedByte, at: 0)
    }
}

/// Bounds on what the decoder accepts. A value type.
public struct DecodeLimits: Sendable, Hashable {
    public var maxDepth: Int = 32
    public var maxTotalBytes: Int = 1 << 20
    public var maxItems: Int = 65_536
    public var requireUTF8Strings: Bool = true
    public static let `default` = DecodeLimits()
    public init() {}
}

/// Why bytes are not a valid message. A value type.
public struct DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case empty, truncated, unexpectedByte, badInteger, integerOverflow, lengthTooLarge
        case depthExceeded, tooManyItems, tooLarge, trailingBytes, invalidUTF8, badEnvelope
    }
    public var code: Code
    public var offset: Int
    public init(_ code: Code, at offset: Int) { self.code = code; self.offset = offset }
    public var description: String { "\(code.rawValue) at byte \(offset)" }
}
