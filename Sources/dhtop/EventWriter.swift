import DHTCore
import DHTRuntime
import NodeAPI
import Dispatch
#if canImport(Glibc)
    import Glibc
#endif

/// Writes node events as JSON lines (`EventJSON.line`, stamped with the engine's time of each
/// event) to stdout or appends them to a file.
/// Each batch is written at once, unbuffered, so the file is always up to date.
/// Thread-safe: lines are written on its own serial queue.
final class EventWriter: @unchecked Sendable {
    private let fd: Int32
    private let ownsFile: Bool
    private let queue = DispatchQueue(label: "dhtop.events")
    private var subscription: EventHub.Subscription?

    /// `-` means stdout; anything else is a file opened for appending (created if missing).
    init(destination: String) throws(EventWriterError) {
        if destination == "-" {
            fd = STDOUT_FILENO
            ownsFile = false
        } else {
            let f = open(destination, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard f >= 0 else {
                throw EventWriterError(message: "cannot open events file \(destination): \(String(cString: strerror(errno)))")
            }
            fd = f
            ownsFile = true
        }
    }

    /// Starts writing the events `hub` publishes; a backlog beyond `limit` is dropped (and counted).
    func attach(to hub: EventHub, limit: Int = 1_000_000) {
        subscription = hub.subscribe(queue: queue, limit: limit) { [self] events in
            var text = ""
            for e in events {
                text += EventJSON.line(e.event, time: e.time)
                text += "\n"
            }
            Output.write(text, to: fd)
        }
    }

    /// Writes what is queued, then stops and closes the file.
    func finish() {
        queue.sync {}
        subscription?.cancel()
        if ownsFile { queue.sync { _ = close(fd) } }
    }
}

/// Why the events destination could not be opened. A value type.
struct EventWriterError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
