/// BitDust 0.1.24's `set_nickname(key, idurl)` splits the *full* key (`nickname:<nick>:<index>:7`)
/// at its first `:`, so real nodes write `"nickname": "nickname"` and
/// `"position": "<nick>:<index>:7"` (spec §13.3). Readers only use `idurl`, so both forms are
/// accepted by BitDust. This type maps between the two. Pure; thread-safe.
public enum NicknameQuirk {
    /// How `RecordBuilder` fills a nickname record's `nickname` and `position` fields.
    public enum Mode: Sendable, Hashable {
        /// The evidently intended values: `"nickname": "<nick>"`, `"position": "<index>"` (a string,
        /// as `str.partition` would have produced from the intended key `"<nick>:<index>"`).
        case intended
        /// Byte-for-byte what BitDust 0.1.24 writes: `"nickname": "nickname"`,
        /// `"position": "<nick>:<index>:7"`.
        case bitdust
    }

    /// The `(nickname, position)` field values for a nickname key under `mode`.
    public static func fields(nick: String, index: Int, mode: Mode) -> (nickname: String, position: String) {
        switch mode {
        case .intended: return (nick, String(index))
        case .bitdust: return ("nickname", "\(nick):\(index):\(RecordKey.protocolVersion)")
        }
    }

    /// Recovers nick and index from a quirk-written position `"<nick>:<index>:<version>"`.
    public static func split(position: String) -> (nick: String, index: Int)? {
        let parts = position.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let i = Int(parts[1]), Int(parts[2]) != nil else { return nil }
        return (String(parts[0]), i)
    }
}
