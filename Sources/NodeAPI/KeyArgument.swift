import BitDustRecords
import DHTCore
import DHTWire

/// A KEY as a user gives it, at the prompt or on the command line, and the one rule that turns
/// it into a DHT key:
///
/// KEY is hashed as BitDust does, sha1(utf8(KEY)); with --raw-key it must be 40 hex digits and is
/// used as is. `find` takes a node ID: 40 hex digits are an id, anything else is a key and is
/// hashed.
///
/// A value type; pure; thread-safe.
public struct KeyArgument: Sendable, Hashable {
    /// The text as given.
    public let text: String
    /// Whether `--raw-key` was given (then `text` is 40 hex digits).
    public let raw: Bool
    /// The DHT key.
    public let id: NodeID

    /// Why a KEY cannot be used. A value type.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    /// `text` hashed, or with `raw` taken as 40 hex digits (anything else is `Invalid`).
    public init(_ text: String, raw: Bool = false) throws(Invalid) {
        self.text = text
        self.raw = raw
        if raw {
            guard text.utf8.count == 40, let id = NodeID(hex: text) else {
                throw Invalid(description: "--raw-key needs exactly 40 hex digits, got '\(Sanitizer.clean(text))'")
            }
            self.id = id
        } else {
            self.id = DHTKey.hash(text)
        }
    }

    /// The id `find` looks for: 40 hex digits are an id (with or without `raw`), anything else
    /// is a key and is hashed; with `raw` anything but 40 hex digits is `Invalid`.
    public static func findTarget(_ text: String, raw: Bool = false) throws(Invalid) -> KeyArgument {
        if text.utf8.count == 40, NodeID(hex: text) != nil { return try KeyArgument(text, raw: true) }
        return try KeyArgument(text, raw: raw)
    }

    /// How the key reads in a command echo: `--raw-key HEX` or the text.
    public var commandText: String { raw ? "--raw-key \(text)" : text }
}
