import DHTWire

extension ContactTriple {
    /// A contact from a findNode result: `[id, ip, port]` or `[id, ip, port, layer]`
    /// (docs/protocol.md §9); nil for anything else. A peer's value: never traps.
    public static func parse(_ value: BValue, layer: Int) -> ContactTriple? {
        guard let items = value.list, items.count == 3 || items.count == 4,
            case .bytes(let idBytes) = items[0], let id = NodeID(hexUTF8: idBytes),
            case .bytes(let host) = items[1], let port = items[2].int, (1...65535).contains(port),
            // A dotted quad is ASCII, so this is what reading the text first would accept.
            let address = Endpoint.parseIPv4(utf8: host)
        else { return nil }
        return ContactTriple(id: id, endpoint: Endpoint(address: address, port: UInt16(port)), layer: layer)
    }
}
