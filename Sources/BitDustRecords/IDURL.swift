/// A BitDust identity URL, `http(s)://host[:port]/name.xml` (docs/protocol.md §12, §16).
/// A value type; pure; thread-safe; never reads the clock.
public struct IDURL: Hashable, Sendable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int?
    /// The user name: the file name without `.xml`.
    public let user: String

    /// The URL exactly as given (BitDust hashes the text as written).
    public let text: String
    public var description: String { text }

    /// Parses `text`; nil when it is not `http(s)://host[:port]/name.xml`.
    public init?(_ text: String) {
        guard let v = try? IDURL.parse(text) else { return nil }
        self = v
    }

    private init(scheme: String, host: String, port: Int?, user: String, text: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.user = user
        self.text = text
    }

    /// Parses `text`, throwing a `RecordKeyError.invalidIDURL` that says what is wrong.
    public static func parse(_ text: String) throws(RecordKeyError) -> IDURL {
        func bad(_ why: String) -> RecordKeyError { .invalidIDURL(text, why) }
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("http://") {
            scheme = "http"
        } else if lower.hasPrefix("https://") {
            scheme = "https"
        } else {
            throw bad("must start with http:// or https://")
        }
        let rest = text.dropFirst(scheme.count + 3)
        guard let slash = rest.firstIndex(of: "/") else { throw bad("missing /name.xml after the host") }
        let authority = rest[..<slash]
        let path = rest[rest.index(after: slash)...]
        var host = Substring(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            let p = authority[authority.index(after: colon)...]
            guard let n = Int(p), (1...65535).contains(n), p.allSatisfy(\.isASCII) else { throw bad("port \"\(p)\" is not 1-65535") }
            port = n
        }
        guard !host.isEmpty else { throw bad("empty host") }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }) else {
            throw bad("host \"\(host)\" has characters other than letters, digits, '.', '-', '_'")
        }
        guard path.lowercased().hasSuffix(".xml"), path.count > 4 else { throw bad("path must be /name.xml") }
        let user = path.dropLast(4)
        guard !user.contains("/"), !user.contains(":"), !user.contains("@"), !user.contains(where: \.isWhitespace) else {
            throw bad("name \"\(user)\" must not contain '/', ':', '@' or spaces")
        }
        return IDURL(scheme: scheme, host: String(host), port: port, user: String(user), text: text)
    }

    /// The legacy UDP user id `user@host[:port]` (`udp_interface.idurl_to_id`; port 80 omitted).
    public var udpUserID: String {
        if let port, port != 80 { return "\(user)@\(host):\(port)" }
        return "\(user)@\(host)"
    }

    /// BitDust's global id `user@host[_port]` (`global_id.UrlToGlobalID`; port 80 omitted).
    public var globalID: String {
        if let port, port != 80 { return "\(user)@\(host)_\(port)" }
        return "\(user)@\(host)"
    }
}
