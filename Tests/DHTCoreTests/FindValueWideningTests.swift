import DHTWire
import Testing

@testable import DHTCore

/// A findValue that finds nothing among the k closest asks the next k once: a reference node's
/// store ends its lookup early and leaves the copies off the true k closest
/// (docs/protocol.md §11), and a get must still read them. A findNode never widens.
@Suite struct FindValueWideningTests {
    static let target = NodeID(high: 0x1234_5678_9abc_def0, middle: 42, low: 7)

    /// The candidate at XOR distance `d` from the target.
    static func triple(_ d: UInt32) -> ContactTriple {
        ContactTriple(
            id: target ^ NodeID(high: 0, middle: 0, low: d), endpoint: Endpoint(address: 0x0A00_0000 + d, port: 14441), layer: 0)
    }

    static func lookup(_ method: String) -> Lookup {
        let l = Lookup(
            id: LookupID(1), layer: 0, target: target, purpose: method == "findValue" ? .findValue : .findNode,
            ownID: NodeID(high: ~0, middle: 0, low: 0), configuration: EngineConfiguration(),
            startedAt: Timestamp(nanoseconds: 0), method: method)
        l.add((1...4).map(triple), round: 1)
        return l
    }

    /// The 4 closest answer without the value, each naming the next 4.
    static func answerClosest(_ l: inout Lookup) {
        let asked = l.nextQueries(now: Timestamp(nanoseconds: 1))
        #expect(asked.map(\.triple) == (1...4).map(triple))
        for c in asked { l.responded(c.triple.id, contacts: (5...8).map(triple)) }
    }

    @Test func aMissAmongTheKClosestAsksTheNextK() {
        var l = Self.lookup("findValue")
        Self.answerClosest(&l)
        let ended = l.checkTermination()
        #expect(!ended, "a miss among the k closest must not end the get")
        let first = l.takeWidened()
        let again = l.takeWidened()
        #expect(first && !again)
        let next = l.nextQueries(now: Timestamp(nanoseconds: 2))
        #expect(next.map(\.triple) == (5...8).map(Self.triple))
        // Still nothing: the get ends, converged (the k closest answered), after 8 queries.
        for c in next { l.responded(c.triple.id, contacts: []) }
        let endedAfterTheNextK = l.checkTermination()
        #expect(endedAfterTheNextK)
        #expect(l.termination == .converged && l.rpcsSent == 8)
    }

    @Test func aFindNodeEndsWithTheKClosest() {
        var l = Self.lookup("findNode")
        Self.answerClosest(&l)
        let endedAtK = l.checkTermination()
        #expect(endedAtK)
        let widened = l.takeWidened()
        #expect(l.termination == .converged && l.rpcsSent == 4 && !widened)
    }
}
