import Foundation
import TestKit
import Testing

/// `dhtop bench --simulate`: one JSON object, the same for the same seed (the command runs with
/// Swift's deterministic hashing, so dictionary order cannot vary) on one thread or two, another
/// for another seed.
/// Launches the dhtop binary: in scripts/test's serial phase.
@Suite struct SimulateCommandTests {
    static func run(
        seed: Int, threads: Int? = nil, nodes: Int = 40, hours: Double = 0.5, environment: [String: String] = [:]
    ) throws -> [String: Any] {
        let args =
            ["bench", "--simulate", "\(nodes)", "--hours", "\(hours)", "--seed", "\(seed)", "--json"]
            + (threads.map { ["--threads", "\($0)"] } ?? [])
        let r = try ProcessRunner.run(RepositoryPaths.dhtop, args, environment: environment, timeout: 600)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stdout)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        var o = try #require(object)
        #expect(o["wall_seconds"] is Double)
        #expect(o["cpu_seconds"] is Double)
        o.removeValue(forKey: "wall_seconds")
        o.removeValue(forKey: "cpu_seconds")
        return o
    }

    @Test func theSameSeedGivesTheSameJSON() throws {
        try RepositoryPaths.requireDhtop()
        let a = try Self.run(seed: 5)
        let b = try Self.run(seed: 5)
        let c = try Self.run(seed: 6)
        #expect(NSDictionary(dictionary: a) == NSDictionary(dictionary: b))
        #expect(NSDictionary(dictionary: a) != NSDictionary(dictionary: c))
        for field in [
            "nodes", "lookups", "lookup_exact_fraction", "median_lookup_ms", "p99_lookup_ms", "median_rounds",
            "messages_per_lookup", "keys_readable_fraction", "stored_copies_median"
        ] {
            #expect(a[field] != nil, "\(field)")
        }
        #expect(a["nodes"] as? Int == 40)
    }

    /// The partitioned run: one thread, two in stretches (the default), two again, two meeting
    /// at every window (DHTOP_SIM_STRETCHES=0) with every window on both
    /// (DHTOP_SIM_PARALLEL_EVENTS=0) and with light windows on one, give the same figures (with
    /// churn, loss, lookups and gets: 60 nodes for an hour).
    @Test func oneThreadAndTwoGiveTheSameJSON() throws {
        try RepositoryPaths.requireDhtop()
        let everyWindow = ["DHTOP_SIM_STRETCHES": "0", "DHTOP_SIM_PARALLEL_EVENTS": "0"]
        let one = try Self.run(seed: 3, threads: 1, nodes: 60, hours: 1)
        let two = try Self.run(seed: 3, threads: 2, nodes: 60, hours: 1)
        let again = try Self.run(seed: 3, threads: 2, nodes: 60, hours: 1)
        let windows = try Self.run(seed: 3, threads: 2, nodes: 60, hours: 1, environment: everyWindow)
        let adaptive = try Self.run(seed: 3, threads: 2, nodes: 60, hours: 1, environment: ["DHTOP_SIM_STRETCHES": "0"])
        #expect(NSDictionary(dictionary: windows) == NSDictionary(dictionary: one))
        #expect(NSDictionary(dictionary: adaptive) == NSDictionary(dictionary: one))
        #expect((one["departures"] as? Int ?? 0) > 0)
        #expect((one["datagrams_sent"] as? Int ?? 0) > 20_000)
        #expect(NSDictionary(dictionary: one) == NSDictionary(dictionary: two))
        #expect(NSDictionary(dictionary: two) == NSDictionary(dictionary: again))
    }

    @Test func badNumbersAreUsageErrors() throws {
        try RepositoryPaths.requireDhtop()
        for args in [
            ["--simulate", "1"], ["--simulate", "10", "--loss", "0.9"], ["--simulate", "10", "--churn", "-1"], ["--json"],
            ["--simulate", "10", "--threads", "0"], ["--threads", "2"]
        ] {
            let r = try ProcessRunner.run(RepositoryPaths.dhtop, ["bench"] + args, timeout: 60)
            #expect(r.status == 2, "\(args): \(r.stderr)")
        }
    }
}
