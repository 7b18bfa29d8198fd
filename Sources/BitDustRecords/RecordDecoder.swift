/// Turns a stored value into a `RecordView`. Total: any bytes give a view, nothing traps.
/// Pure; thread-safe; never reads the clock (`now`, unix seconds, is passed in).
public enum RecordDecoder {
    /// Decodes raw value bytes. `expected` is the type the caller looked up (nil: infer it).
    public static func decode(_ value: [UInt8], expected: RecordType? = nil, now: Int64) -> RecordView {
        guard let text = String(validating: value, as: UTF8.self) else {
            var view = RecordView(type: expected, kind: "binary", raw: String(decoding: value, as: UTF8.self))
            view.fields = [.init("bytes", "\(value.count)"), .init("hex", hexPreview(value))]
            view.notes = ["value is not valid UTF-8; BitDust cannot decode it"]
            if let expected, expected.jsonTypeName != nil { view.violations = [notJSON(expected, "binary data")] }
            return view
        }
        return decode(text, expected: expected, now: now)
    }

    /// Decodes a value held as text.
    public static func decode(_ text: String, expected: RecordType? = nil, now: Int64) -> RecordView {
        if expected == .legacyAddress, let v = decodeLegacyAddress(text, now: now) { return v }
        if expected == .legacyIncoming, let v = decodeLegacyIncoming(text, now: now) { return v }
        guard let json = BitDustJSON.parse(text) else {
            if expected == nil || expected?.isLegacy == true {
                if let v = decodeLegacyAddress(text, now: now) { return v }
                if let v = decodeLegacyIncoming(text, now: now) { return v }
            }
            var view = RecordView(type: expected, kind: "text", raw: text)
            view.fields = [.init("text", BitDustJSON.displayString(text, max: 400)), .init("length", "\(text.unicodeScalars.count) characters")]
            if let expected, expected.jsonTypeName != nil {
                view.violations = [notJSON(expected, "text that is not JSON")]
            } else {
                view.notes = ["not JSON; current validating nodes refuse to store it"]
            }
            return view
        }
        return decode(json: json, raw: text, expected: expected, now: now)
    }

    /// Decodes an already parsed JSON value.
    public static func decode(json: BitDustJSON, raw: String, expected: RecordType?, now: Int64) -> RecordView {
        let declared = json["type"]?.stringValue.flatMap(RecordType.fromJSONType)
        var type = expected ?? declared
        if type == .skipValidation || type == nil, looksLikeNodeState(json) { type = .nodeState }
        var view = RecordView(type: type, kind: type.map(kindName) ?? "unknown JSON", raw: raw)
        view.json = json
        view.revision = json["revision"]?.intValue
        view.timestamp = json["timestamp"]?.intValue
        if let ts = view.timestamp {
            let (d, overflow) = now.subtractingReportingOverflow(ts)
            view.age = overflow ? nil : d
        }
        guard case .object(let dict) = json else {
            view.fields = [.init("value", json.inline(maxString: 200))]
            if let type { view.violations = RecordRules.validate(type: type, json: json) }
            return view
        }
        if let type { view.violations = RecordRules.validate(type: type, json: json) }
        if let expected, let declaredName = json["type"]?.stringValue, let want = expected.jsonTypeName, declaredName != want {
            view.notes.append("record declares type \"\(BitDustJSON.escapedText(declaredName, max: 60))\"")
        }
        switch type {
        case .identity: fillIdentity(&view, dict)
        case .suppliers: fillSuppliers(&view, dict)
        case .messageBroker: fillMessageBroker(&view, dict)
        case .nickname: fillNickname(&view, dict)
        case .bismuthIdentityRequest: fillBismuth(&view, dict)
        case .nodeState: fillNodeState(&view, dict)
        case .customerSupplier:
            view.notes.append("2018 customer_supplier relation; decoded best effort")
            view.owner = (dict["customer_idurl"] ?? dict["customer_id"] ?? dict["customer"])?.stringValue
            view.fields = genericFields(dict)
        default: view.fields = genericFields(dict, skipping: ["type"])
        }
        return view
    }

    static func kindName(_ t: RecordType) -> String {
        switch t {
        case .legacyAddress: return "legacy address"
        case .legacyIncoming: return "legacy incoming"
        case .customerSupplier: return "legacy customer_supplier"
        default: return t.rawValue
        }
    }

    static func looksLikeNodeState(_ json: BitDustJSON) -> Bool {
        json["key"]?.stringValue == "nodeState" || (json["id"] != nil && json["closestNodes"] != nil)
    }

    static func notJSON(_ t: RecordType, _ what: String) -> RuleViolation {
        RuleViolation(field: "", type: t.jsonTypeName ?? t.rawValue, kind: .notAnObject(what))
    }

    /// One field per key (sorted), values inline and truncated.
    static func genericFields(_ dict: [String: BitDustJSON], skipping: Set<String> = []) -> [RecordView.Field] {
        BitDustJSON.sortedKeys(dict).filter { !skipping.contains($0) }.prefix(64).map {
            .init(BitDustJSON.escapedText($0, max: 40), display(dict[$0]!))
        }
    }

    /// A JSON value for a field line: strings unquoted (escaped), others inline JSON.
    static func display(_ v: BitDustJSON?, max: Int = 200) -> String {
        guard let v else { return "(missing)" }
        if case .string(let s) = v { return BitDustJSON.escapedText(s, max: max) }
        let t = v.inline(maxString: 80)
        return t.count > max * 2 ? String(t.prefix(max * 2)) + "…" : t
    }

    static func hexPreview(_ bytes: [UInt8], limit: Int = 48) -> String {
        let hex = bytes.prefix(limit).map { b -> String in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
        return bytes.count > limit ? hex + "…" : hex
    }
}
