import DHTRuntime
import DHTWire
import Dispatch
import Synchronization

/// The floor for `dhtop bench`: a UDP server on 127.0.0.1 that sends every datagram back as it
/// came, with the node's socket calls (a read source on a serial queue, recvmmsg and sendmmsg
/// through `DatagramBatch`, the same busy polling) and no work between them. What it serves is
/// the most any server built that way could on this machine. Thread-safe; reads no clock.
final class EchoFloor: @unchecked Sendable {
    let socket: UDPSocket
    private let queue = DispatchQueue(label: "dhtop.bench.echo", qos: .userInitiated)
    private let batch = DatagramBatch()
    private var source: DispatchSourceRead?

    init() throws {
        socket = try UDPSocket(host: "127.0.0.1", port: 0)
        let source = DispatchSource.makeReadSource(fileDescriptor: socket.fileDescriptor, queue: queue)
        source.setEventHandler { [weak self] in self?.drain() }
        source.setCancelHandler { [socket] in socket.close() }
        self.source = source
        source.resume()
    }

    var endpoint: Endpoint { Endpoint(address: Endpoint.loopback, port: socket.local.port) }

    /// As `DHTNode.drainSocket`, with echo in place of the engine.
    private func drain() {
        var handled = 0, emptyPolls = 0
        while handled < 4096 {
            let count = batch.receive(from: socket)
            guard count > 0 else {
                emptyPolls += 1
                if emptyPolls > DHTNode.busyPolls { break }
                continue
            }
            emptyPolls = 0
            for i in 0..<count {
                guard let (bytes, from) = batch.datagram(i) else { continue }
                if !batch.enqueue(bytes, to: from, on: socket) { socket.send(Array(bytes), to: from) }
            }
            handled += count
            batch.flush(on: socket)
        }
    }

    func stop() {
        queue.sync { source?.cancel() }
    }
}
