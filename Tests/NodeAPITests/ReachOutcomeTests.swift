import DHTCore
import DHTWire
import Foundation
import NodeAPI
import Testing

/// The reach commands (`discover`, `watch`, `crawl`, `latency`) on the control socket's wire and
/// as outcomes: one text and one JSON rendering each, and peers' hostile answers read safely.
@Suite struct ReachOutcomeTests {
    static let id = NodeID(hex: String(repeating: "3f", count: 20))!
    static let ep = Endpoint(host: "127.0.0.1", port: 14443)!

    @Test func reachCommandsRoundTrip() throws {
        let commands: [NodeCommand] = [
            .discover(DiscoverOptions()), .discover(DiscoverOptions(count: 7, seconds: 90)),
            .watch(.key(try KeyArgument("k")), WatchOptions(intervalSeconds: 5, count: 3)),
            .watch(.key(try KeyArgument(String(repeating: "ab", count: 20), raw: true)), WatchOptions()),
            .watch(.record(type: .nodeState, parts: []), WatchOptions(intervalSeconds: 60, count: 1)),
            .crawl(CrawlOptions(rate: 100, maxNodes: 50)), .latency
        ]
        for command in commands {
            let data = try JSONEncoder().encode(command)
            #expect(try JSONDecoder().decode(NodeCommand.self, from: data) == command, "\(String(decoding: data, as: UTF8.self))")
        }
    }

    @Test(arguments: [
        #"{"verb":"watch","type":"suppliers","parts":[]}"#, #"{"verb":"watch","key":"x","raw_key":true}"#, #"{"verb":"watch"}"#
    ])
    func invalidWatchesAreRefused(text: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(NodeCommand.self, from: Data(text.utf8)) }
    }

    @Test func optionsFromTheWireAreClampedToTheirBudgets() throws {
        let text = #"{"verb":"crawl","rate":999999,"max_nodes":-3}"#
        guard case .crawl(let o) = try JSONDecoder().decode(NodeCommand.self, from: Data(text.utf8)) else {
            Issue.record("not a crawl")
            return
        }
        #expect(o.rate == ReachLimits.crawlRate.upperBound && o.maxNodes == 1)
        #expect(WatchOptions(intervalSeconds: 0).intervalSeconds == ReachLimits.watchInterval.lowerBound)
        #expect(DiscoverOptions(count: 10_000, seconds: -1).count == 100)
    }

    @Test func requestAnswersAreReadSafely() {
        #expect(DiscoveredNode.answerText(.dict([.string("idurl"): "http://x/a.xml", .int(3): .int(3)]), name: "idurl") == "http://x/a.xml")
        #expect(DiscoveredNode.answerText(.dict([.string("idurl"): .int(0), .int(3): .int(3)]), name: "idurl") == nil)
        #expect(DiscoveredNode.answerText(.list([.int(1)]), name: "idurl") == nil)
        #expect(DiscoveredNode.answerText(.dict([.string("idurl"): .bytes([0xff, 0xfe])]), name: "idurl") == nil)
        let long = DiscoveredNode.answerText(.dict([.string("idurl"): .string(String(repeating: "x", count: 5000))]), name: "idurl")
        #expect((long?.utf8.count ?? 0) <= ReachLimits.answerBytes + 3)
        #expect(DiscoverOptions.requestName(layer: 9) == "location" && DiscoverOptions.requestName(layer: 3) == "idurl")
    }

    @Test func discoverOutcomeTextAndJSONSayTheSame() {
        let provider = DiscoveredNode(id: Self.id, endpoint: Self.ep, answer: "http://x/a.xml", rtt: .milliseconds(2))
        let report = DiscoverReport(
            layer: 3, name: "idurl", wanted: 2, providers: [provider], withoutData: 1, silent: 0, lookups: 2, requests: 3,
            elapsed: .milliseconds(40), stoppedBy: "no new nodes in 3 lookups")
        let o = CommandOutcome(discovered: report, context: NodeCommand.discover(DiscoverOptions(count: 2)).contextFields(layer: 3))
        #expect(o.succeeded)
        #expect(o.summary == "1 provider on layer 3 (idurl) after 2 lookups, 3 requests, 40ms; 1 without idurl; stopped: no new nodes in 3 lookups")
        #expect(o.detail == ["3f3f3f3f  127.0.0.1:14443  idurl=http://x/a.xml  (2.0 ms)"])
        #expect(o.fields["layer"] == .int(3))
        #expect(o.fields["providers"]?.compactText.contains(#""value": "http://x/a.xml""#) == true)
        #expect(!CommandOutcome(discovered: DiscoverReport(layer: 3, name: "idurl", wanted: 1)).succeeded)
    }

    @Test func crawlOutcomeAndEstimate() {
        let nodes = [
            CrawledNode(id: Self.id, endpoint: Self.ep, responsive: true, layers: [0, 3]),
            CrawledNode(id: NodeID(hex: String(repeating: "01", count: 20))!, endpoint: Self.ep, responsive: false)
        ]
        let estimate = CrawlReport.chapman(n1: 20, n2: 18, both: 15, found: 22)
        let report = CrawlReport(layer: 0, nodes: nodes, rpcs: 30, elapsed: .seconds(2), estimate: estimate)
        let o = CommandOutcome(crawled: report)
        #expect(o.succeeded)
        #expect(o.summary.hasPrefix("crawl of layer 0: 2 nodes, 1 responsive, 1 silent; 30 RPCs, 2.0s; network size estimate 24 (22–26)"))
        #expect(o.detail.first == "3f3f3f3f  127.0.0.1:14443  responsive  layers 0,3")
        #expect(nodes[0].json.compactText == #"{"id": "\#(Self.id.hex)", "address": "127.0.0.1:14443", "responsive": true, "layers": [0, 3]}"#)
        // Chapman: (21 × 19) / 16 − 1 ≈ 23.9; the interval holds it and never goes below what was found.
        let e = try! #require(estimate)
        #expect(abs(e.nodes - 23.9375) < 0.001)
        #expect(e.low >= 22 && e.low <= e.nodes && e.high >= e.nodes)
        #expect(CrawlReport.chapman(n1: 5, n2: 5, both: 0, found: 5) == nil)
        #expect(CrawlReport.chapman(n1: 10, n2: 10, both: 10, found: 10)?.nodes == 10)
    }

    /// The console's header reads a crawl back from its outcome's fields (as an attached console
    /// gets them); any other outcome is no crawl.
    @Test func crawlGlanceFromTheOutcomeFields() throws {
        let nodes = (0..<25).map { i in
            CrawledNode(id: NodeID(hex: String(repeating: String(format: "%02x", i), count: 20))!, endpoint: Self.ep, responsive: i % 5 != 0)
        }
        let estimate = CrawlReport.chapman(n1: 20, n2: 18, both: 15, found: 25)
        let o = CommandOutcome(
            crawled: CrawlReport(layer: 2, nodes: nodes, rpcs: 90, elapsed: .seconds(3), estimate: estimate),
            context: NodeCommand.crawl(CrawlOptions()).contextFields(layer: 2))
        let glance = try #require(CrawlGlance(o))
        #expect(glance.layer == 2 && glance.nodes == 25)
        #expect(glance.text == "crawl L2: 25 nodes, ~\(Int(estimate!.nodes.rounded())) (\(Int(estimate!.low.rounded()))–\(Int(estimate!.high.rounded())))")
        let noEstimate = CommandOutcome(crawled: CrawlReport(layer: 0, nodes: [nodes[1]], rpcs: 3, elapsed: .seconds(1)))
        #expect(CrawlGlance(noEstimate)?.text == "crawl L0: 1 node")
        #expect(CrawlGlance(CommandOutcome.failure("no node answered")) == nil)
        #expect(CrawlGlance(CommandOutcome(succeeded: true, summary: "pong")) == nil)
    }

    @Test func watchReportsAndHistoryBound() {
        let value = BValue.string(#"{"type":"suppliers","revision":4}"#)
        #expect(WatchChange.revision(of: value) == 4)
        #expect(WatchChange.revision(of: .string(#"{"revision":"x"}"#)) == nil)
        #expect(WatchChange.revision(of: .int(3)) == nil)
        let change = WatchChange(kind: .changed, at: 1_800_000_000, fromID: Self.id, from: Self.ep, revision: 4, value: "{}", copies: 3)
        #expect(change.line == "changed at 1800000000: revision 4 from 3f3f3f3f (127.0.0.1:14443), 3 copies: {}")
        var report = WatchReport(key: Self.id)
        for i in 0..<(ReachLimits.watchHistory + 5) {
            report.record(WatchChange(kind: .changed, at: Int64(i), fromID: nil, from: nil, revision: nil, value: nil, copies: 1))
        }
        #expect(report.history.count == ReachLimits.watchHistory && report.reports == ReachLimits.watchHistory + 5)
        #expect(report.history.first?.at == 5)
        #expect(CommandOutcome(watched: report).succeeded)
    }

    @Test func latencyOutcome() {
        var h = LatencyHistogram()
        for ms in [1, 2, 3] { h.record(.milliseconds(Int64(ms))) }
        let o = CommandOutcome(latency: ["findNode": h])
        #expect(o.summary == "RPC latency of 1 method, 3 answered calls")
        #expect(o.detail == ["findNode  3 calls: p50 2.5ms p90 3.0ms p99 3.0ms max 3.0ms"])
        #expect(CommandOutcome(latency: [:]).summary == "no answered calls yet")
    }
}
