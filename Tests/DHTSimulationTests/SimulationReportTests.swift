import DHTCore
import DHTTestSupport
import Testing

@testable import DHTSimulation

/// A run's report carries every field the issue lists; Entangled's termination is injected and
/// measurably worse. (The same seed giving the same JSON: `SimulateCommandTests`.)
@Suite struct SimulationReportTests {
    @Test func theReportHasEveryFieldOnce() {
        let r = Simulation(SimulationInvariantTests.config(nodes: 30, hours: 0.5)).run()
        let names = [
            "nodes", "lookups", "lookup_exact_fraction", "median_lookup_ms", "p99_lookup_ms", "median_rounds",
            "messages_per_lookup", "keys_readable_fraction", "stored_copies_median", "wall_seconds"
        ]
        for n in names { #expect(r[n] != nil, "\(n)") }
        #expect(Set(r.fields.map(\.name)).count == r.fields.count)
        #expect(r.json.hasPrefix("{\"termination\": \"kademlia\", \"nodes\": 30,"))
        #expect(r.json.filter { $0 == "{" }.count == 1)
        #expect(r.number("lookups") ?? 0 >= 40)
        #expect(r.lines.count == r.fields.count)
    }

    @Test func entangledTerminationEndsLookupsEarlierAndLessExactly() {
        var c = SimulationInvariantTests.config(nodes: 120, hours: 0.5, loss: 0, churn: 0)
        c.minimumOperations = 100
        let ours = Simulation(c).run()
        c.lookupTermination = EntangledTermination()
        let entangled = Simulation(c).run()
        #expect(entangled["termination"] == .text("entangled"))
        #expect(ours.number("lookup_exact_fraction")! >= 0.97)
        #expect(entangled.number("lookup_exact_fraction")! < ours.number("lookup_exact_fraction")!)
        #expect(entangled.number("messages_per_lookup")! < ours.number("messages_per_lookup")!)
        print(SimulationReport.tableHeader.joined(separator: "\n"))
        print(ours.tableRow)
        print(entangled.tableRow)
    }

    @Test func fixedPointFormatting() {
        #expect(Format.fixed(1.5, 2) == "1.50")
        #expect(Format.fixed(-0.004, 2) == "0.00")
        #expect(Format.fixed(-2.345, 1) == "-2.3")
        #expect(Format.fixed(1234.5678, 0) == "1235")
        #expect(Format.fixed(0.05, 3) == "0.050")
        #expect(Format.fixed(.nan, 1) == "nan")
    }
}
