import Foundation
import TestKit

/// One-shot clients run inside a host: `dhtop set/get/find --json` or the reference
/// `refclient.py`, each joining through a seed on another host. Blocks the calling thread;
/// not thread-safe.
extension HostNetwork {
    /// A value BitDust's validation accepts.
    static func value(_ text: String) -> String { canonical(#"{"type":"skip_validation","v":"\#(text)"}"#)! }

    /// The seed a client on `host` joins through: the next host that runs a node.
    func seed(for host: Int) -> String {
        let running = (1...count).filter { nodes[$0]?.isRunning == true && $0 != host }
        let next = running.first { $0 > host } ?? running.first ?? host
        return endpoint(next)
    }

    /// Stores `value` under `key` from `host` with a client of `kind`; the outcome in words on
    /// failure, nil on success.
    func set(from host: Int, _ kind: NodeKind, key: String, value: String, timeout: Double = 40) throws -> String? {
        try store(from: host, kind, key: key, value: value, timeout: timeout).failure
    }

    /// Stores like `set`, and also names the hosts whose nodes acknowledged the store (read from
    /// the client's own report: dhtop's `nodes`, the reference client's `stores`).
    func store(from host: Int, _ kind: NodeKind, key: String, value: String, timeout: Double = 40) throws -> (
        failure: String?, hosts: Set<Int>
    ) {
        let out: ProcessOutput
        switch kind {
        case .dhtop:
            out = try run(on: host, RepositoryPaths.dhtop, ["set", "--seed", seed(for: host), "--json", "--timeout", "30", key, value], timeout: timeout)
        case .reference:
            out = try run(
                on: host, RepositoryPaths.python,
                [
                    refclient, "--host", address(host), "--seed", seed(for: host),
                    "--timeout", "30", "set", key, value
                ], timeout: timeout)
        }
        let hosts = storingHosts(out.json)
        if out.status == 0, out.json?["ok"] as? Bool == true { return (nil, hosts) }
        return ("\(kind) set of \(key) on host \(host) failed (\(out.status)): \(out.stdout.suffix(600)) \(out.stderr.suffix(600))", hosts)
    }

    /// The hosts that acknowledged a store in a client's JSON report.
    private func storingHosts(_ json: [String: Any]?) -> Set<Int> {
        var addresses: [String] = []
        for node in json?["nodes"] as? [[String: Any]] ?? [] where node["result"] as? String == "ok" {
            if let a = node["address"] as? String { addresses.append(String(a.split(separator: ":").first ?? "")) }
        }
        for store in json?["stores"] as? [[String: Any]] ?? [] where store["success"] as? Bool == true {
            if let a = (store["node"] as? [String: Any])?["address"] as? [Any], let ip = a.first as? String { addresses.append(ip) }
        }
        return Set((1...count).filter { addresses.contains(address($0)) })
    }

    /// Reads `key` from `host` with a client of `kind`: the value, or nil when not found or failed.
    /// `via` names the seed host (default: `seed(for:)`).
    func get(from host: Int, _ kind: NodeKind, key: String, via: Int? = nil, timeout: Double = 40) throws -> String? {
        let out: ProcessOutput
        let seed = via.map(endpoint) ?? seed(for: host)
        switch kind {
        case .dhtop:
            out = try run(on: host, RepositoryPaths.dhtop, ["get", "--seed", seed, "--json", "--timeout", "30", key], timeout: timeout)
        case .reference:
            out = try run(
                on: host, RepositoryPaths.python,
                [
                    refclient, "--host", address(host), "--seed", seed,
                    "--timeout", "30", "get", key
                ], timeout: timeout)
        }
        guard out.status == 0, let json = out.json, json["found"] as? Bool == true else { return nil }
        return Self.canonical(json["value"])
    }

    /// A value as the tests compare it: dhtop's `--json` gives a JSON value as JSON, the reference
    /// client gives the text; both become the JSON text with sorted keys (text that is not JSON
    /// stays as it is).
    static func canonical(_ value: Any?) -> String? {
        var object = value
        if let text = value as? String {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else { return text }
            object = parsed
        }
        guard let object, JSONSerialization.isValidJSONObject(object),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            return value as? String
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The ids `dhtop find` on `host` returns for `key`, and the key's DHT id.
    /// `seedingAll` seeds the client with every running host's node instead of one, so that its
    /// own table starts with every node.
    func find(from host: Int, key: String, seedingAll: Bool = false) throws -> (target: String, ids: [String])? {
        let seeds = seedingAll ? (1...count).filter { nodes[$0]?.isRunning == true }.map(endpoint) : [seed(for: host)]
        let out = try run(
            on: host, RepositoryPaths.dhtop, ["find"] + seeds.flatMap { ["--seed", $0] } + ["--json", "--timeout", "30", key],
            timeout: 40)
        guard out.status == 0, let json = out.json, let target = json["target_id"] as? String,
            let nodes = json["nodes"] as? [[String: Any]]
        else { return nil }
        return (target, nodes.compactMap { $0["id"] as? String })
    }

    /// The ids a reference node's findNode on `host` answers for `target`: the closest contacts
    /// in its routing table.
    func referenceFindNode(on host: Int, target: String) throws -> [String] {
        let out = try run(
            on: host, RepositoryPaths.python,
            [
                refclient, "--host", address(host), "--timeout", "15", "--raw-key",
                "findnode", endpoint(host), target
            ], timeout: 25)
        guard out.status == 0, let response = out.json?["response"] else { return [] }
        return Self.ids(in: response)
    }

    /// Every 40-hex id in `value`, depth-first (the shape of refclient's findnode answer).
    static func ids(in value: Any) -> [String] {
        switch value {
        case let s as String where s.count == 40 && s.allSatisfy(\.isHexDigit): return [s]
        case let a as [Any]: return a.flatMap { ids(in: $0) }
        case let d as [String: Any]: return d.keys.sorted().flatMap { ids(in: d[$0]!) }
        default: return []
        }
    }

    /// The `k` ids of `candidates` closest to `target` by XOR distance.
    static func closest(_ k: Int, to target: String, among candidates: [String]) -> [String] {
        let t = bytes(target)
        return candidates.sorted { a, b in
            let x = zip(bytes(a), t).map { $0 ^ $1 }, y = zip(bytes(b), t).map { $0 ^ $1 }
            return x.lexicographicallyPrecedes(y)
        }.prefix(k).map { $0 }
    }

    private static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16) ?? 0) }
        return out
    }

    private var refclient: String { RepositoryPaths.refclient }
}
