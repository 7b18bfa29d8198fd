import Foundation
import TestKit
import Testing

/// BitDust records between `dhtop set/get --record` and the reference client's `setrec`/`getrec`
/// (BitDust's own `set_valid_data`/`get_valid_data` with the `dht_records` rules), over real
/// reference nodes that validate stores (docs/protocol.md §13).
@Suite(.serialized) struct RecordInteropTests {
    init() throws { try Interop.requirePrerequisites() }

    static let alice = "http://127.0.0.1:8084/alice.xml"
    static let bob = "http://127.0.0.1:8084/bob.xml"
    static let hour = String(Int(Date().timeIntervalSince1970) / 3600)

    /// One case per current type: dhtop's key parts and fields, the reference's key string and JSON.
    struct Case: CustomStringConvertible {
        var type: String
        var parts: [String]
        var fields: [String]
        var keyString: String
        var refJSON: String
        var check: String
        var description: String { type }
    }

    static func cases(_ tag: String) -> [Case] {
        let idurl = "http://127.0.0.1:8084/\(tag).xml"
        let ts = Int(Date().timeIntervalSince1970)
        return [
            Case(
                type: "identity", parts: [idurl], fields: ["identity=<identity><sources>\(idurl)</sources></identity>"],
                keyString: idurl,
                refJSON: #"{"idurl":"\#(idurl)","identity":"<identity>ref</identity>","timestamp":\#(ts)}"#, check: "idurl"),
            Case(
                type: "suppliers", parts: [idurl], fields: ["ecc_map=ecc/2x2", "suppliers=\(alice),\(bob)"],
                keyString: "suppliers:\(idurl):0:7",
                refJSON: #"{"customer_idurl":"\#(idurl)","ecc_map":"ecc/2x2","suppliers":["\#(bob)"],"revision":4,"publisher_idurl":null,"timestamp":\#(ts)}"#,
                check: "customer_idurl"),
            Case(
                type: "message_broker", parts: [idurl, "1"], fields: ["broker_idurl=\(bob)"],
                keyString: "message_broker:\(idurl)1:0:7",
                refJSON: #"{"customer_idurl":"\#(idurl)","broker_idurl":"\#(bob)","position":1,"revision":2,"timestamp":\#(ts)}"#,
                check: "broker_idurl"),
            Case(
                type: "nickname", parts: [tag, "0"], fields: ["idurl=\(idurl)"],
                keyString: "nickname:\(tag):0:7",
                refJSON: #"{"idurl":"\#(idurl)","nickname":"nickname","position":"\#(tag):0:7","timestamp":\#(ts)}"#, check: "idurl"),
            Case(
                type: "bismuth_identity_request", parts: [hour, "3"], fields: ["idurl=\(idurl)", "public_key=ssh-rsa AAAA", "wallet_address=w1"],
                keyString: "blockchain_identity:\(hour):3:7",
                refJSON: #"{"idurl":"\#(idurl)","public_key":"ssh-rsa BBBB","position":3,"wallet_address":"w2","timestamp":\#(ts)}"#,
                check: "idurl"),
            Case(
                type: "skip_validation", parts: ["free-key-\(tag)"], fields: ["note=héllo", "n=5"],
                keyString: "free-key-\(tag)", refJSON: #"{"note":"from ref","n":6}"#, check: "note")
        ]
    }

    func seedArgs(_ ref: ReadyProcess) -> [String] { ["--seed", ref.address, "--timeout", "75"] }

    @Test func everyTypeWrittenByDhtopIsReadByTheReference() throws {
        let refs = try Reference.network(4)
        for c in Self.cases("w\(Int.random(in: 1000...9999))") {
            // Seeded with every reference node: the one-shot clients of the earlier cases have left
            // dead contacts in the reference tables (Entangled keeps them until it queries them),
            // which may be all a single seed returns for a key; the record then lands on the seed
            // alone and the reference client's early-stopping lookup (docs/protocol.md §11) may
            // miss it. This test is about the record's format: asked directly, the reference nodes
            // are the closest nodes that answer, so they are the ones that get the copies.
            let set = try Dhtop.run(
                ["set", "--record", c.type] + c.parts + c.fields + refs.flatMap { ["--seed", $0.address] } + ["--timeout", "75", "--json"], timeout: 120)
            #expect(set.status == 0, "\(c): dhtop set --record failed: \(set.stdout) \(set.stderr)")
            #expect(set.json?["key_string"] as? String == c.keyString, "\(c): key \(set.stdout)")
            let get = try Reference.client(["--seed", refs[2].address, "getrec", c.type, c.keyString])
            #expect(get.status == 0, "\(c): reference getrec failed: \(get.stdout) \(get.stderr)")
            let record = get.json?["record"] as? [String: Any]
            #expect(record?["type"] as? String == c.type, "\(c): \(get.stdout)")
            #expect(record?["key"] as? String == c.keyString, "\(c): \(get.stdout)")
            let sent = set.json?["record"] as? [String: Any]
            #expect(
                record?[c.check] as? String != nil && (record?[c.check] as? String) == (sent?[c.check] as? String),
                "\(c): field \(c.check) differs: \(get.stdout) vs \(set.stdout)")
            // Field by field: what the reference read is exactly what dhtop wrote.
            let written = try #require(sent, "\(c): dhtop printed no record: \(set.stdout)")
            for (name, value) in written {
                #expect(Self.same(record?[name], value), "\(c): field \(name) written \(value), read \(String(describing: record?[name]))")
            }
            #expect(Set(record?.keys.map { $0 } ?? []) == Set(written.keys), "\(c): fields differ: \(get.stdout) vs \(set.stdout)")
        }
    }

    @Test func everyTypeWrittenByTheReferenceIsDecodedByDhtop() throws {
        let refs = try Reference.network(4)
        for c in Self.cases("r\(Int.random(in: 1000...9999))") {
            let set = try Reference.client(["--seed", refs[1].address, "setrec", c.type, c.keyString, c.refJSON])
            #expect(set.status == 0, "\(c): reference setrec failed: \(set.stdout) \(set.stderr)")
            let get = try Dhtop.run(["get", "--record", c.type] + c.parts + seedArgs(refs[3]) + ["--json"], timeout: 120)
            #expect(get.status == 0, "\(c): dhtop get --record failed: \(get.stdout) \(get.stderr)")
            let j = get.json
            #expect(j?["found"] as? Bool == true, "\(c): \(get.stdout)")
            #expect(j?["valid"] as? Bool == true, "\(c): \(get.stdout)")
            #expect(j?["kind"] as? String == c.type, "\(c): \(get.stdout)")
            #expect(j?["agree"] as? Bool == true, "\(c): \(get.stdout)")
            // How many copies exist depends on where the reference client's own lookup (which
            // stops early, docs/protocol.md §11) chose to store; every copy dhtop met must agree.
            #expect((j?["replicas"] as? [Any])?.count ?? 0 >= 1, "\(c): \(get.stdout)")
            let record = j?["record"] as? [String: Any]
            #expect(record?["key"] as? String == c.keyString, "\(c): \(get.stdout)")
            // Field by field against the JSON the reference was given.
            let given = try #require((try? JSONSerialization.jsonObject(with: Data(c.refJSON.utf8))) as? [String: Any])
            for (name, value) in given {
                #expect(Self.same(record?[name], value), "\(c): field \(name) written \(value), decoded \(String(describing: record?[name]))")
            }
            if let r = given["revision"] as? Int {
                #expect(j?["revision"] as? Int == r, "\(c): revision \(get.stdout)")
            }
        }
    }

    @Test func dhtopTakesTheNextRevisionFromTheNetwork() throws {
        let refs = try Reference.network(4)
        let c = Self.cases("n\(Int.random(in: 1000...9999))")[1]
        let set = try Reference.client(["--seed", refs[1].address, "setrec", c.type, c.keyString, c.refJSON])
        #expect(set.status == 0, "reference setrec failed: \(set.stdout)")
        let ours = try Dhtop.run(["set", "--record", c.type] + c.parts + c.fields + seedArgs(refs[0]) + ["--json"], timeout: 120)
        #expect(ours.status == 0, "dhtop set failed: \(ours.stdout) \(ours.stderr)")
        #expect(ours.json?["network_revision"] as? Int == 4)
        #expect(ours.json?["revision"] as? Int == 5)
        let get = try Reference.client(["--seed", refs[3].address, "getrec", c.type, c.keyString])
        #expect((get.json?["record"] as? [String: Any])?["revision"] as? Int == 5, "reference reads \(get.stdout)")
    }

    @Test func invalidRecordsAreRefusedLocallyAndByReferenceNodes() throws {
        let refs = try Reference.network(4)
        let c = Self.cases("i\(Int.random(in: 1000...9999))")[1]
        let args = ["set", "--record", c.type] + c.parts
        // A missing required field: refused before sending, naming the rule; nothing stored.
        let missing = try Dhtop.run(args + ["ecc_map=ecc/2x2"] + seedArgs(refs[0]), timeout: 120)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("field \"suppliers\" is required for suppliers"), "\(missing.stderr)")
        let none = try Reference.client(["--seed", refs[2].address, "getrec", c.type, c.keyString])
        #expect(none.status == 2, "something was stored: \(none.stdout)")
        // Store revision 5, then try revision 3: refused locally with the node's own text…
        let five = try Dhtop.run(args + c.fields + ["revision=5"] + seedArgs(refs[0]), timeout: 120)
        #expect(five.status == 0, "\(five.stdout) \(five.stderr)")
        let lower = try Dhtop.run(args + c.fields + ["revision=3"] + seedArgs(refs[0]), timeout: 120)
        #expect(lower.status == 1)
        #expect(lower.stderr.contains("refused before sending"), "\(lower.stderr)")
        #expect(lower.stderr.contains("new json data must increment revision number, current revision is 5"), "\(lower.stderr)")
        // …and, sent without reading first, by the reference nodes with the same text.
        let blind = try Dhtop.run(args + c.fields + ["revision=3", "--no-read"] + seedArgs(refs[0]), timeout: 120)
        #expect(blind.status == 1)
        #expect(blind.stdout.contains("new json data must increment revision number, current revision is 5"), "\(blind.stdout)")
        #expect(blind.stdout.contains("revision lower than the stored one"), "\(blind.stdout)")
        #expect(refs.contains { blind.stdout.contains("refused  \($0.address)") }, "no node named: \(blind.stdout)")
        // A type change (skip_validation over the suppliers key): locally, then remotely.
        let retype = ["set", "--record", "skip_validation", c.keyString, "note=x"]
        let local = try Dhtop.run(retype + seedArgs(refs[0]), timeout: 120)
        #expect(local.status == 1)
        #expect(local.stderr.contains("new json data type do not match to existing record type"), "\(local.stderr)")
        let remote = try Dhtop.run(retype + ["--no-read", "--json"] + seedArgs(refs[0]), timeout: 120)
        #expect(remote.status == 1)
        let nodes = remote.json?["nodes"] as? [[String: Any]] ?? []
        #expect(
            nodes.contains {
                ($0["reason"] as? String)?.contains("new json data type do not match to existing record type") == true
                    && $0["rule"] as? String == "record type differs from the stored one"
            }, "\(remote.stdout)")
        // The reference client's own writer refuses a lower revision as well.
        let refLower = try Reference.client([
            "--seed", refs[1].address, "setrec", c.type, c.keyString,
            c.refJSON.replacingOccurrences(of: "\"revision\":4", with: "\"revision\":1")
        ])
        #expect(refLower.status != 0, "the reference stored a lower revision: \(refLower.stdout)")
    }

    @Test func replicasThatDisagreeAreReported() throws {
        let refs = try Reference.network(4)
        let c = Self.cases("d\(Int.random(in: 1000...9999))")[1]
        let one = try Dhtop.run(["set", "--record", c.type] + c.parts + c.fields + seedArgs(refs[0]), timeout: 120)
        #expect(one.status == 0, "\(one.stdout) \(one.stderr)")
        // One node gets revision 9 directly (a raw store to that node only).
        let newer = c.refJSON.replacingOccurrences(of: "\"revision\":4", with: "\"revision\":9")
            .replacingOccurrences(of: "{", with: "{\"key\":\"\(c.keyString)\",\"type\":\"suppliers\",", options: [], range: nil)
        let raw = try Reference.client(["store", refs[2].address, c.keyString, newer])
        #expect(raw.status == 0, "\(raw.stdout)")
        let get = try Dhtop.run(["get", "--record", c.type] + c.parts + seedArgs(refs[0]), timeout: 120)
        #expect(get.status == 0, "\(get.stdout) \(get.stderr)")
        #expect(get.stdout.contains("revision 9"), "\(get.stdout)")
        #expect(get.stdout.contains("replicas hold different revisions"), "\(get.stdout)")
        #expect(get.stdout.contains("\(refs[2].address) (") && get.stdout.contains("[kept]"), "\(get.stdout)")
        let rawOut = try Dhtop.run(["get", "--record", c.type] + c.parts + seedArgs(refs[0]) + ["--raw"], timeout: 120)
        #expect(rawOut.stdout.contains("\"revision\":9"), "\(rawOut.stdout)")
    }

    /// Whether two JSON values are equal (compared as canonical JSON text).
    static func same(_ a: Any?, _ b: Any) -> Bool {
        guard let a else { return false }
        let opts: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed]
        guard let x = try? JSONSerialization.data(withJSONObject: a, options: opts),
            let y = try? JSONSerialization.data(withJSONObject: b, options: opts)
        else { return false }
        return x == y
    }
}
