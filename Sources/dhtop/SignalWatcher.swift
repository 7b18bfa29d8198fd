import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Calls a handler once on SIGINT or SIGTERM, on a private queue, instead of the default
/// termination. Keep the watcher alive as long as the handler should run. Thread-safe.
final class SignalWatcher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "dhtop.signals")
    private var sources: [DispatchSourceSignal] = []

    init(_ signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (Int32) -> Void) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }
}
