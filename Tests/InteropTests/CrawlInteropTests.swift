import Foundation
import TestKit
import Testing

/// `dhtop crawl` on a mixed network of about 25 nodes — reference BitDust nodes and `dhtop
/// node`s — finds at least 95% of them, says which layers they answer on, and estimates the size.
@Suite(.serialized) struct CrawlInteropTests {
    init() throws { try Interop.requirePrerequisites() }

    @Test func crawlFindsMixedNetwork() throws {
        let references = try Reference.network(13)
        defer { references.forEach { $0.stop() } }
        var dhtops: [ReadyProcess] = []
        defer { dhtops.forEach { $0.stop() } }
        for i in 0..<12 {
            let seed = references[i % references.count].address
            dhtops.append(try Dhtop.node(seeds: [seed], extra: ["--no-control-socket"]))
        }
        let all = references + dhtops
        let ids = Set(all.map(\.nodeID))
        #expect(ids.count == 25)
        let out = try Dhtop.run(["crawl", "--seed", references[0].address, "--rate", "200", "--json"], timeout: 600)
        #expect(out.status == 0, "\(out.both)")
        let lines = ReachInteropTests.jsonLines(out.stdout)
        let nodes = lines.dropLast()
        let found = Set(nodes.compactMap { $0["id"] as? String }).intersection(ids)
        #expect(Double(found.count) >= 0.95 * Double(ids.count), "found \(found.count) of \(ids.count): \(out.stdout)")
        let responsive = nodes.filter { $0["responsive"] as? Bool == true && ids.contains($0["id"] as? String ?? "") }
        #expect(responsive.allSatisfy { ($0["layers"] as? [Int])?.contains(0) == true })
        let summary = try #require(lines.last)
        #expect(summary["nodes_found"] as? Int ?? 0 >= found.count)
        let estimate = try #require(summary["estimate"] as? [String: Any], "\(summary)")
        let low = try #require(estimate["low"] as? Double), high = try #require(estimate["high"] as? Double)
        #expect(low <= high)
        #expect(low >= Double(found.count) - 0.5)
        Swift.print("crawl: found \(found.count)/\(ids.count); \(summary["rpcs"] ?? "?") RPCs in \(summary["elapsed_ms"] ?? "?") ms; estimate \(estimate)")
    }
}
