import DHTWire

extension ContactTriple {
    /// A contact from a findNode result: `[id, ip, port]` or `[id, ip, port, layer]`
    /// (docs/protocol.md §9); nil for anything else. A peer's value: never traps.
    public static func parse(_ value: BValue, layer: Int) -> ContactTriple? {
        guard let items = value.list, items.count == 3 || items.count == 4,
            case .bytes(let idBytes) = items[0], let id = NodeID(hexUTF8: idBytes),
            let host = items[1].string, let port = items[2].int, (1...65535).contains(port),
            let endpoint = Endpoint(host: host, port: Int(port))
        else { return nil }
        return ContactTriple(id: id, endpoint: endpoint, layer: layer)
    }
}
