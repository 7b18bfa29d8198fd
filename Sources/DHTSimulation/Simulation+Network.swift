import DHTCore
import DHTWire

/// The network seen from outside the engines: test datagrams and the traffic counters.
extension Simulation {
    /// Sends a test datagram outside any engine (tests of the network itself).
    public func inject(_ datagram: [UInt8], from: Int, to: Int) {
        partition(from).transmit(datagram, from: from, to: Self.endpoint(of: to))
    }

    /// Datagrams sent, lost, and delivered so far.
    public var traffic: (sent: Int, lost: Int, delivered: Int, toOffline: Int) {
        let m = merged
        return (m.datagramsSent, m.datagramsLost, m.datagramsDelivered, m.datagramsToOffline)
    }
}
