import DHTCore
import FoundationEssentials

/// Per-type field extraction for the current JSON record types. Pure; thread-safe.
extension RecordDecoder {
    static func fillIdentity(_ view: inout RecordView, _ d: [String: BitDustJSON]) {
        let idurl = d["idurl"]?.stringValue
        view.owner = idurl ?? d["key"]?.stringValue
        view.fields.append(.init("idurl", display(d["idurl"])))
        if let key = d["key"]?.stringValue, key != idurl { view.fields.append(.init("key", BitDustJSON.escapedText(key))) }
        guard let xml = d["identity"]?.stringValue else {
            view.fields.append(.init("identity", d["identity"] == nil ? "(missing)" : "(not text)"))
            return
        }
        guard let id = IdentitySummary.parse(xml) else {
            view.fields.append(.init("identity", "\(xml.utf8.count) bytes, not a parseable <identity> XML document"))
            view.notes.append("identity XML does not parse")
            return
        }
        func list(_ label: String, _ items: [String]) {
            if items.isEmpty { view.fields.append(.init(label, "(none)")) }
            for (i, s) in items.prefix(32).enumerated() { view.fields.append(.init(i == 0 ? label : "", BitDustJSON.escapedText(s, max: 120))) }
            if items.count > 32 { view.fields.append(.init("", "… \(items.count - 32) more")) }
        }
        list("sources", id.sources)
        list("contacts", id.contacts)
        view.fields.append(.init("public key", id.fingerprint.map { "fingerprint \($0)" } ?? "(none)"))
        if let r = id.revision { view.fields.append(.init("xml revision", BitDustJSON.escapedText(r, max: 40))) }
        if let dt = id.date { view.fields.append(.init("xml date", BitDustJSON.escapedText(dt, max: 60))) }
        if let v = id.version, !v.isEmpty { view.fields.append(.init("xml version", BitDustJSON.escapedText(v, max: 60))) }
        if id.certificates > 0 { view.fields.append(.init("certificates", "\(id.certificates)")) }
        view.fields.append(.init("signature", id.hasSignature ? "present (not verified)" : "absent"))
        if let idurl, !id.sources.isEmpty, !id.sources.contains(idurl) {
            view.notes.append("the record's idurl is not among the identity's sources")
        }
    }

    static func fillSuppliers(_ view: inout RecordView, _ d: [String: BitDustJSON]) {
        view.owner = d["customer_idurl"]?.stringValue
        view.fields.append(.init("customer", display(d["customer_idurl"])))
        view.fields.append(.init("ecc_map", display(d["ecc_map"])))
        if let list = d["suppliers"]?.arrayValue {
            view.fields.append(.init("suppliers", "\(list.count)"))
            for (i, s) in list.prefix(64).enumerated() {
                let text = s.stringValue.map { $0.isEmpty ? "(empty slot)" : BitDustJSON.escapedText($0, max: 120) } ?? s.inline()
                view.fields.append(.init("  [\(i)]", text))
            }
            if let ecc = d["ecc_map"]?.stringValue, let n = eccSupplierCount(ecc), n != list.count {
                view.notes.append("ecc_map \(ecc) expects \(n) suppliers, list has \(list.count)")
            }
        } else {
            view.fields.append(.init("suppliers", display(d["suppliers"])))
        }
        if let p = d["publisher_idurl"], p != .null { view.fields.append(.init("publisher", display(p))) }
        view.fields.append(.init("revision", display(d["revision"])))
    }

    /// `ecc/4x4` → 4 (BitDust's ECC maps name data×parity blocks, one supplier per block pair).
    static func eccSupplierCount(_ ecc: String) -> Int? {
        guard ecc.hasPrefix("ecc/") else { return nil }
        let parts = ecc.dropFirst(4).split(separator: "x")
        guard parts.count == 2, let n = Int(parts[0]) else { return nil }
        return n
    }

    static func fillMessageBroker(_ view: inout RecordView, _ d: [String: BitDustJSON]) {
        view.owner = d["customer_idurl"]?.stringValue
        view.fields.append(.init("customer", display(d["customer_idurl"])))
        view.fields.append(.init("broker", display(d["broker_idurl"])))
        view.fields.append(.init("position", display(d["position"])))
        view.fields.append(.init("revision", display(d["revision"])))
    }

    static func fillNickname(_ view: inout RecordView, _ d: [String: BitDustJSON]) {
        view.owner = d["idurl"]?.stringValue
        view.fields.append(.init("nickname", display(d["nickname"])))
        view.fields.append(.init("idurl", display(d["idurl"])))
        view.fields.append(.init("position", display(d["position"])))
        if let nick = d["nickname"]?.stringValue, nick == "nickname",
            let pos = d["position"]?.stringValue, let q = NicknameQuirk.split(position: pos)
        {
            view.notes.append("written with BitDust's set_nickname quirk: nick \"\(BitDustJSON.escapedText(q.nick, max: 60))\", index \(q.index)")
        }
    }

    static func fillBismuth(_ view: inout RecordView, _ d: [String: BitDustJSON]) {
        view.owner = d["idurl"]?.stringValue
        view.fields.append(.init("idurl", display(d["idurl"])))
        if let pk = d["public_key"]?.stringValue {
            view.fields.append(.init("public key", "fingerprint " + IdentitySummary.fingerprint(of: pk.trimmedWhitespace())))
        } else {
            view.fields.append(.init("public key", display(d["public_key"])))
        }
        view.fields.append(.init("wallet", display(d["wallet_address"])))
        view.fields.append(.init("position", display(d["position"])))
    }

    static func fillNodeState(_ view: inout RecordView, _ d: [String: BitDustJSON]) {
        view.owner = d["id"]?.stringValue
        view.fields.append(.init("id", display(d["id"])))
        if let nodes = d["closestNodes"]?.arrayValue {
            view.fields.append(.init("closestNodes", "\(nodes.count)"))
            for n in nodes.prefix(8) { view.fields.append(.init("", n.inline(maxString: 60))) }
            if nodes.count > 8 { view.fields.append(.init("", "… \(nodes.count - 8) more")) }
        } else {
            view.fields.append(.init("closestNodes", display(d["closestNodes"])))
        }
        for (k, v) in d where !["id", "closestNodes", "key", "type"].contains(k) {
            view.fields.append(.init(BitDustJSON.escapedText(k, max: 40), display(v)))
        }
    }
}
