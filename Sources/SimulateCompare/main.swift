import DHTBench
import DHTCore
import DHTSimulation
import DHTTestSupport

#if canImport(Glibc)
    import Glibc
#endif

// `scripts/simulate-compare N [--loss P] [--churn P] [--hours H] [--seed S] [--json]`: the same
// simulated network run twice, with the product's lookup termination and with Entangled's
// (test support, never in dhtop), printed as two rows of one Markdown table (or two JSON lines).
// Progress goes to stderr. Test support: not part of the product.

func note(_ text: String) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func fail(_ text: String) -> Never {
    print("simulate-compare: \(text)")
    print("usage: simulate-compare N [--loss P] [--churn P] [--hours H] [--seed S] [--only kademlia|entangled] [--json]")
    exit(2)
}

func number(_ text: String, _ flag: String) -> Double {
    guard let x = Double(text) else { fail("\(flag): not a number") }
    return x
}

// Dictionary order (and so the figures of one seed) is fixed only with deterministic hashing,
// which Swift reads at start-up: re-execute once with it set.
if getenv("SWIFT_DETERMINISTIC_HASHING") == nil {
    setenv("SWIFT_DETERMINISTIC_HASHING", "1", 1)
    var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", &argv)
    note("cannot re-execute with SWIFT_DETERMINISTIC_HASHING=1; figures may differ between runs of one seed")
}

var arguments = Array(CommandLine.arguments.dropFirst())
var nodes: Int?
var loss = 0.02, churn = 0.30, hours = 24.0
var seed: UInt64 = 1
var json = false
/// One row only (two processes can run the rows side by side).
var only: String?
while !arguments.isEmpty {
    let a = arguments.removeFirst()
    func value() -> String {
        guard !arguments.isEmpty else { fail("\(a) needs a value") }
        return arguments.removeFirst()
    }
    switch a {
    case "--loss": loss = number(value(), a)
    case "--churn": churn = number(value(), a)
    case "--hours": hours = number(value(), a)
    case "--seed":
        guard let s = UInt64(value()) else { fail("--seed: not a whole number") }
        seed = s
    case "--json": json = true
    case "--only":
        only = value()
        guard only == "kademlia" || only == "entangled" else { fail("--only kademlia|entangled") }
    default:
        guard let n = Int(a) else { fail("unknown argument \(a)") }
        nodes = n
    }
}
guard let nodes, (2...100_000).contains(nodes) else { fail("N must be 2-100000") }
guard (0...0.5).contains(loss), (0...1).contains(churn), hours > 0, hours <= 168 else { fail("--loss 0-0.5, --churn 0-1, --hours 0-168") }

var rows: [SimulationReport] = []
for termination in [nil, EntangledTermination() as (any LookupTerminationPolicy)?] {
    let config = SimulationBenchmark.configuration(
        nodes: nodes, loss: loss, churn: churn, hours: hours, seed: seed, termination: termination)
    let name = termination == nil ? "kademlia" : "entangled"
    if let only, only != name { continue }
    let report = SimulationBenchmark.run(config) { line in
        note("[\(name)] \(line)")
    }
    note("[\(name)] done in \(report["wall_seconds"]?.plain ?? "?") s")
    rows.append(report)
    if json { print(report.json) }
}
if !json {
    for line in SimulationReport.tableHeader { print(line) }
    for r in rows { print(r.tableRow) }
}
