import DHTCore
import DHTStorage
import DHTWire

/// One persist's outcome on its way from the storage writer to the node's queue.
struct PersistOutcome: @unchecked Sendable {
    var changes: [StorageChange]
    var then: [Effect]
    var result: Result<Void, StorageError>
}

/// Durable changes of one receive batch whose follow-ups only send (stores' answers), gathered
/// on the node's queue and submitted to the writer as one, with one completion. Node's queue.
struct PersistGroup {
    var changes: [StorageChange] = []
    var then: [Effect] = []
    var isEmpty: Bool { changes.isEmpty && then.isEmpty }
}

/// What the storage writer's completions hand back to a `DHTNode`. Outcomes whose follow-ups do
/// more than send wait in `waiting` for one hop to the node's queue (`scheduled` says one is
/// on its way). Answers of durable stores (follow-ups that only send) are queued by the writer's
/// queue itself and sent together with one sendmmsg after each fdatasync's group
/// (`sendQueued`), without waking the node's queue. Every member is touched under `lock`, from
/// any thread; `batch` only by the writer's queue. Reads no clock.
final class PersistOutcomes: @unchecked Sendable {
    let lock = PlainLock()
    var waiting: [PersistOutcome] = []
    var scheduled = false
    private let socket: UDPSocket
    private let batch = DatagramBatch()
    /// Set before the node closes its socket: nothing is sent after.
    private var closed = false

    init(socket: UDPSocket) { self.socket = socket }

    /// Whether every one of `effects` is a send (true for none).
    static func sendsOnly(_ effects: [Effect]) -> Bool {
        effects.allSatisfy { if case .send = $0 { true } else { false } }
    }

    /// Queues the sends among `effects` for the next `sendQueued` (the writer's queue).
    func queue(_ effects: [Effect]) {
        guard !effects.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        for effect in effects {
            guard case .send(let datagram, let to) = effect else { continue }
            let queued = datagram.withUnsafeBytes { batch.enqueue($0, to: to, on: socket) }
            if !queued { socket.send(datagram, to: to) }
        }
    }

    /// Sends every queued answer (the writer's queue, after each group of completions).
    func sendQueued() {
        lock.lock()
        if !closed { batch.flush(on: socket) }
        lock.unlock()
    }

    /// Drops queued answers and sends nothing more: the socket is about to close.
    func close() {
        lock.lock()
        closed = true
        lock.unlock()
    }
}
