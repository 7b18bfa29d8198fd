import DHTWire

extension KBucket {
    /// A bucket rebuilt from its parts (a snapshot read back from the control socket); nil
    /// unless the parts make a bucket: `prefixLength` in 0...160, `lower` the first id of its
    /// prefix, every contact and replacement inside the range. Never traps, whatever the parts.
    public init?(
        lower: NodeID, prefixLength: Int, contacts: [Contact], replacements: [Contact], lastChanged: Timestamp,
        pendingHeadPing: NodeID?, pendingHeadPingSince: Timestamp?
    ) {
        guard (0...NodeID.bitCount).contains(prefixLength), lower.keepingPrefix(prefixLength) == lower else { return nil }
        self.init(prefix: lower, prefixLength: prefixLength, lastChanged: lastChanged)
        guard (contacts + replacements).allSatisfy({ contains($0.id) }) else { return nil }
        self.contacts = contacts
        self.replacements = replacements
        self.pendingHeadPing = pendingHeadPing
        self.pendingHeadPingSince = pendingHeadPingSince
    }
}
