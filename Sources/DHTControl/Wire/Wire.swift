import DHTCore
import DHTWire

/// The control socket's own types: every object that crosses the socket is one of these, with
/// its JSON names spelled out (`CodingKeys`) and conversions to and from the NodeAPI / DHTCore
/// types. Renaming a field of a core type therefore cannot change the protocol; changing one of
/// these is a protocol change (bump `ControlProtocol.version`; `WireGoldenTests` shows the diff).
/// Times are integer nanoseconds since the Unix epoch (`_ns`), durations integer nanoseconds.
/// Decoding checks every id, address and enum name and never traps. Pure value types;
/// thread-safe.
public enum Wire {
    /// A wire value that does not make a core value (a bad id, address, state, bucket range…).
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    static func id(_ hex: String, _ what: String) throws(Invalid) -> NodeID {
        guard let id = NodeID(hex: hex) else { throw Invalid("\(what) is not 40 hex digits") }
        return id
    }

    static func optionalID(_ hex: String?, _ what: String) throws(Invalid) -> NodeID? {
        guard let hex else { return nil }
        return try id(hex, what)
    }

    /// `a.b.c.d:port`, port 0…65535.
    static func endpoint(_ text: String, _ what: String) throws(Invalid) -> Endpoint {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            let e = Endpoint(host: text[..<colon], port: port)
        else { throw Invalid("\(what) is not IPv4:PORT") }
        return e
    }

    static func time(_ ns: Int64?) -> Timestamp? { ns.map(Timestamp.init(nanoseconds:)) }
}
