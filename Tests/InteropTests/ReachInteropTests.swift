import Foundation
import TestKit
import Testing

/// The operator's reach against real BitDust nodes: `dhtop discover` finds reference
/// suppliers on layer 3 through a reference seed and through a `dhtop node --layer 3` seed (which
/// also serves a reference client's layer-3 lookup), and `dhtop watch` reports a reference
/// client's overwrite of a watched key.
@Suite(.serialized) struct ReachInteropTests {
    init() throws { try Interop.requirePrerequisites() }

    /// Three reference suppliers on layer 3, each with its own idurl, joined through `seed`.
    static func suppliers(seed: String) throws -> (nodes: [ReadyProcess], idurls: [String: Int]) {
        let base = Interop.freePorts(3)
        var nodes: [ReadyProcess] = []
        var idurls: [String: Int] = [:]
        for i in 0..<3 {
            let idurl = "http://127.0.0.1:8084/supplier\(i).xml"
            nodes.append(try Reference.node(port: base + i, seeds: [seed], extra: ["--layer", "3", "--node-data", "idurl=\(idurl)"]))
            idurls[idurl] = base + i
        }
        return (nodes, idurls)
    }

    /// The JSON lines of a streaming command's stdout.
    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// Runs `dhtop discover` through `seed` and checks that it lists exactly the suppliers.
    func discoverFinds(_ idurls: [String: Int], seed: String) throws {
        let out = try Dhtop.run(["discover", "--layer", "3", "--count", "3", "--seed", seed, "--json"], timeout: 120)
        #expect(out.status == 0, "\(out.both)")
        let lines = Self.jsonLines(out.stdout)
        let providers = lines.filter { $0["value"] != nil && $0["name"] as? String == "idurl" }
        var found: [String: Int] = [:]
        for p in providers {
            guard let value = p["value"] as? String, let address = p["address"] as? String,
                let port = address.split(separator: ":").last.flatMap({ Int($0) })
            else { continue }
            found[value] = port
        }
        #expect(found == idurls, "\(out.stdout)")
        let summary = try #require(lines.last)
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["layer"] as? Int == 3)
    }

    @Test func discoverThroughReferenceSeed() throws {
        let seed = try Reference.node(port: Interop.freePorts(1), extra: ["--layer", "3"])
        defer { seed.stop() }
        let (nodes, idurls) = try Self.suppliers(seed: seed.address)
        defer { nodes.forEach { $0.stop() } }
        try discoverFinds(idurls, seed: seed.address)
    }

    @Test func dhtopSeedServesLayer3() throws {
        let seed = try Dhtop.node(seeds: [], extra: ["--layer", "3", "--no-control-socket"])
        defer { seed.stop() }
        let (nodes, idurls) = try Self.suppliers(seed: seed.address)
        defer { nodes.forEach { $0.stop() } }
        try discoverFinds(idurls, seed: seed.address)
        // A reference client's layer-3 lookup through the dhtop seed reaches the suppliers: it
        // learns all four nodes of the layer, and what it returns are suppliers or the seed.
        let find = try Reference.client(["--seed", seed.address, "--layer", "3", "find", "any-key"], timeout: 90)
        #expect(find.status == 0, "\(find.both)")
        let contacts = (find.json?["contacts"] as? [[String: Any]]) ?? []
        let ports = Set(contacts.compactMap { ($0["address"] as? [Any])?.last as? Int })
        #expect(!ports.isDisjoint(with: idurls.values), "\(find.stdout)")
        #expect(ports.isSubset(of: Set(idurls.values).union([seed.port])), "\(find.stdout)")
        #expect(find.json?["routing_table_contacts"] as? Int == 4, "\(find.stdout)")
    }

    @Test func watchReportsReferenceOverwrite() throws {
        let nodes = try Reference.network(3)
        defer { nodes.forEach { $0.stop() } }
        let key = "watched-\(UUID().uuidString.prefix(8))"
        let first = try Reference.client(["--seed", nodes[1].address, "set", key, #"{"type":"skip_validation","revision":1,"n":1}"#])
        #expect(first.status == 0, "\(first.both)")
        let watch = try ChildProcess(
            RepositoryPaths.dhtop, ["watch", key, "--seed", nodes[0].address, "--interval", "2", "--count", "2", "--json"])
        defer { watch.stop() }
        let found = try #require(watch.waitForLine(prefix: "{", timeout: 90), "no first report; \(watch.stderr.text)")
        #expect(found.contains(#""change":"found""#))
        #expect(found.contains(#""revision":1"#))
        let second = try Reference.client(["--seed", nodes[2].address, "set", key, #"{"type":"skip_validation","revision":2,"n":2}"#])
        #expect(second.status == 0, "\(second.both)")
        #expect(watch.waitForExit(timeout: 120) == 0, "\(watch.stdout.text) \(watch.stderr.text)")
        let lines = Self.jsonLines(watch.stdout.text)
        #expect(lines.count == 3, "\(watch.stdout.text)")
        let change = try #require(lines.dropFirst().first)
        #expect(change["change"] as? String == "changed")
        #expect(change["revision"] as? Int == 2)
        #expect((change["from"] as? String)?.hasPrefix("127.0.0.1:") == true)
        #expect(lines.last?["reports"] as? Int == 2)
    }
}
