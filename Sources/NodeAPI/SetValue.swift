import BitDustRecords
import DHTCore

/// The VALUE of a plain `set KEY VALUE`, checked before anything is sent, the same at the
/// prompt, in `dhtop set` and for an attached console: the store rule every BitDust node runs
/// (`BitDustStoreRule`: JSON text, an object, a truthy `"type"`), the field rules of a known
/// record type (`RecordRules`), and the node's value size limit. A refusal says what is wrong
/// and shows a value that would be stored; nothing of Python's error text is shown for what can
/// be checked here. `text(_:)` builds the `set KEY --text WORDS…` value.
///
/// Pure; thread-safe; never reads the clock.
public enum SetValue {
    /// Why a VALUE would be refused; `description` is the one line shown. A value type.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    /// The value every example shows.
    public static let example = #"{"type":"skip_validation","text":"hello"}"#

    /// The advice closing every refusal.
    public static let advice =
        "BitDust nodes store a JSON object with a \"type\" field, e.g. set KEY \(example) or set KEY --text hello world"

    /// The largest value a dhtop node stores (`EngineConfiguration.maxValueBytes`).
    public static let maxBytes = EngineConfiguration().maxValueBytes

    /// Throws when a BitDust node would refuse `text`, or its readers would drop it.
    public static func check(_ text: String) throws(Invalid) {
        let shown = BitDustJSON.escapedText(text, max: 40)
        if text.utf8.count > maxBytes {
            throw Invalid(description: "VALUE is \(text.utf8.count) bytes; a node stores at most \(maxBytes)")
        }
        guard let json = BitDustJSON.parse(text) else {
            throw Invalid(description: "VALUE '\(shown)' is not JSON; \(advice)")
        }
        guard case .object(let fields) = json else {
            throw Invalid(description: "VALUE '\(shown)' is \(kind(json)), not a JSON object; \(advice)")
        }
        guard let type = fields["type"], type.isTruthy else {
            throw Invalid(description: "VALUE has no \"type\" field; \(advice)")
        }
        guard let record = RecordType.fromJSONType(type.pythonStr) else { return }
        if let broken = RecordRules.validate(type: record, json: json).first {
            throw Invalid(
                description: "\(broken.description) (BitDust's readers would drop this value); "
                    + "set --record \(record.rawValue) … FIELD=VALUE… fills in key, type and timestamp")
        }
    }

    /// `a string`, `a number`, … for a JSON value that is not an object.
    static func kind(_ json: BitDustJSON) -> String {
        switch json {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The value `set KEY --text WORDS…` stores: a `skip_validation` record holding the words,
    /// serialized as BitDust writes JSON.
    public static func text(_ words: String) -> String {
        BitDustJSON.object(["type": .string("skip_validation"), "text": .string(words)]).serialized()
    }
}
