import DHTCore
import FoundationEssentials

/// Decoders for the legacy non-JSON UDP transport values (docs/protocol.md §12). Pure; thread-safe.
extension RecordDecoder {
    /// `"ip:port"`, or Python 3's `"b'1.2.3.4':port"`; nil when the text is not that shape.
    public static func parseLegacyAddress(_ text: String) -> (host: String, port: Int, bytesQuirk: Bool)? {
        let t = text.trimmedWhitespace()
        guard let colon = t.lastIndex(of: ":") else { return nil }
        var host = String(t[..<colon])
        let portText = t[t.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port), portText.allSatisfy(\.isASCII) else { return nil }
        var quirk = false
        if host.hasPrefix("b'") && host.hasSuffix("'") && host.count >= 3 {
            host = String(host.dropFirst(2).dropLast())
            quirk = true
        }
        guard !host.isEmpty, host.count <= 255,
            host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") })
        else { return nil }
        return (host, port, quirk)
    }

    static func decodeLegacyAddress(_ text: String, now: Int64) -> RecordView? {
        guard let a = parseLegacyAddress(text) else { return nil }
        var view = RecordView(type: .legacyAddress, kind: "legacy address", raw: text)
        view.fields = [.init("address", "\(a.host):\(a.port)")]
        if a.bytesQuirk { view.notes.append("written by Python 3 as b'…':port (bytes repr quirk)") }
        view.notes.append("legacy non-JSON value; current validating nodes reject it")
        return view
    }

    /// One `"<id> <ip>:<port> <time>"` line of a legacy incoming value.
    public struct IncomingEntry: Hashable, Sendable {
        public let peer: String
        public let host: String
        public let port: Int
        public let time: Double?
    }

    /// Parses `"<id> <ip>:<port> <time>\n"` lines; nil unless at least one line has that shape.
    public static func parseLegacyIncoming(_ text: String) -> [IncomingEntry]? {
        var out: [IncomingEntry] = []
        for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 3, let a = parseLegacyAddress(String(parts[1])) else { return nil }
            out.append(IncomingEntry(peer: String(parts[0]), host: a.host, port: a.port, time: Double(parts[2])))
        }
        return out.isEmpty ? nil : out
    }

    static func decodeLegacyIncoming(_ text: String, now: Int64) -> RecordView? {
        guard let entries = parseLegacyIncoming(text) else { return nil }
        var view = RecordView(type: .legacyIncoming, kind: "legacy incoming", raw: text)
        for e in entries.prefix(32) {
            var v = "\(BitDustJSON.escapedText(e.peer, max: 80)) from \(e.host):\(e.port)"
            if let t = e.time, t.isFinite, abs(t) < 1e15 {
                v += " at \(Int64(t)) (\(RecordView.formatAge(now &- Int64(t))))"
            }
            view.fields.append(.init("connecting", v))
        }
        if let t = entries.last?.time, t.isFinite, abs(t) < 1e15 {
            view.timestamp = Int64(t)
            view.age = now &- Int64(t)
        }
        view.notes.append("legacy non-JSON value; current validating nodes reject it")
        return view
    }
}
