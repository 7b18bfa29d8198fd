import DHTCore
import DHTWire

/// Node state kept beside the records: the node id of each layer (docs/protocol.md §6: each layer has its own
/// id, kept across restarts) and the last known contacts of each layer, for a warm restart.
/// Same contract as `NodeDatabase`: one serial queue; every call blocks on disk I/O.
extension NodeDatabase {
    /// One remembered contact.
    public typealias SavedContact = (layer: Int, id: NodeID, endpoint: Endpoint, lastSeen: Int64)

    private static func nodeIDName(_ layer: Int) -> String { "node_id/\(layer)" }

    /// The persisted node id of `layer`, or nil if none was saved yet.
    public func nodeID(layer: Int) throws(StorageError) -> NodeID? {
        try connection.withStatement("SELECT value FROM meta WHERE name = ?1") { (s) throws(StorageError) -> NodeID? in
            try s.bind(1, text: Self.nodeIDName(layer))
            guard try s.step() else { return nil }
            return NodeID(bytes: s.blob(0))
        }
    }

    /// Saves (or replaces) the node id of `layer`. Blocks for an fsync.
    public func setNodeID(_ id: NodeID, layer: Int) throws(StorageError) {
        try connection.transaction { () throws(StorageError) in
            let s = try connection.prepare("INSERT OR REPLACE INTO meta(name, value) VALUES (?1, ?2)")
            defer { s.reset() }
            try s.bind(1, text: Self.nodeIDName(layer))
            try s.bind(2, blob: id.bytes)
            try s.run()
        }
    }

    /// Every saved contact, ordered by layer then most recently seen first. Rows with an id
    /// that is not 20 bytes or an unparsable address are skipped.
    public func loadContacts() throws(StorageError) -> [SavedContact] {
        let sql = "SELECT layer, id, host, port, last_seen FROM contacts ORDER BY layer, last_seen DESC, id"
        return try connection.withStatement(sql) { (s) throws(StorageError) -> [SavedContact] in
            var out: [SavedContact] = []
            while try s.step() {
                guard let id = NodeID(bytes: s.blob(1)),
                    let endpoint = Endpoint(host: s.text(2), port: Int(s.int64(3)))
                else { continue }
                out.append((layer: Int(s.int64(0)), id: id, endpoint: endpoint, lastSeen: s.int64(4)))
            }
            return out
        }
    }

    /// Replaces the saved contacts of `layer` with `contacts`, in one transaction. Blocks for an fsync.
    public func saveContacts(layer: Int, _ contacts: [(id: NodeID, endpoint: Endpoint, lastSeen: Int64)]) throws(StorageError) {
        try connection.transaction { () throws(StorageError) in
            let clear = try connection.prepare("DELETE FROM contacts WHERE layer = ?1")
            try clear.bind(1, Int64(layer))
            try clear.run()
            clear.reset()
            let insert = try connection.prepare(
                "INSERT OR REPLACE INTO contacts(layer, id, host, port, last_seen) VALUES (?1, ?2, ?3, ?4, ?5)")
            defer { insert.reset() }
            for c in contacts {
                insert.reset()
                try insert.bind(1, Int64(layer))
                try insert.bind(2, blob: c.id.bytes)
                try insert.bind(3, text: c.endpoint.host)
                try insert.bind(4, Int64(c.endpoint.port))
                try insert.bind(5, c.lastSeen)
                try insert.run()
            }
        }
    }
}
