import DHTCore
import DHTRuntime
import DHTWire
import FoundationEssentials
#if canImport(Glibc)
    import Glibc
#endif

/// Drives one node with requests from a bare UDP socket on 127.0.0.1, keeping a fixed number
/// outstanding, and measures how many answers arrive per second. Blocks the calling thread;
/// use it from one thread at a time.
public struct LoadGenerator {
    /// The outcome of one run.
    public struct Result: Sendable {
        public var answered: Int
        public var errors: Int
        public var seconds: Double
        public var latenciesMicros: [Double]
        /// CPU this process spent meanwhile outside the generator's thread (the server, when it
        /// runs in this process), in seconds.
        public var serverCPUSeconds: Double = 0
        public var perSecond: Double { seconds > 0 ? Double(answered) / seconds : 0 }
        /// Server CPU per answer, in microseconds: steadier than `perSecond` on a loaded machine.
        public var serverCPUMicros: Double { answered > 0 ? serverCPUSeconds * 1e6 / Double(answered) : 0 }
        /// Several runs as one: answers, errors, seconds and server CPU summed, latencies joined.
        public init(merging runs: [Result]) {
            self.init(answered: 0, errors: 0, seconds: 0, latenciesMicros: [])
            for r in runs {
                answered += r.answered
                errors += r.errors
                seconds += r.seconds
                latenciesMicros += r.latenciesMicros
                serverCPUSeconds += r.serverCPUSeconds
            }
        }

        public init(answered: Int, errors: Int, seconds: Double, latenciesMicros: [Double], serverCPUSeconds: Double = 0) {
            self.answered = answered
            self.errors = errors
            self.seconds = seconds
            self.latenciesMicros = latenciesMicros
            self.serverCPUSeconds = serverCPUSeconds
        }

        public var medianMicros: Double {
            guard !latenciesMicros.isEmpty else { return 0 }
            return latenciesMicros.sorted()[latenciesMicros.count / 2]
        }
    }

    public var target: Endpoint
    public var outstanding = 32
    public var duration: Double = 3

    public init(target: Endpoint) { self.target = target }

    /// Sends requests built by `make(i)` (i counts up) for `duration` seconds. Answers are read
    /// with recvmmsg and the requests that replace them go out together with one sendmmsg, so
    /// the generator, which shares the machine with the server it measures, spends two system
    /// calls per burst instead of two per request.
    public func run(_ make: (Int) -> (method: String, args: [BValue])) throws -> Result {
        let sender = SystemRandom().nodeID()
        return try runLoop { i, id in
            let (method, args) = make(i)
            return try? MessageCodec.datagrams(for: WireMessage(rpcID: id, sender: sender, layer: 0, body: .question(method: method, args: args)))
        }
    }

    /// Sends the same request again and again, each under a fresh RPC id. It is encoded once
    /// and only the id is written into a copy for each send, so that the generator spends the
    /// same on a findValue as on a ping and the figures compare the server's work alone.
    public func run(method: String, args: [BValue]) throws -> Result {
        let sender = SystemRandom().nodeID()
        // Any id works as the placeholder: its 40 digits occur where the id goes (the frame
        // header and the envelope), and a fresh id is written over each occurrence.
        let placeholder = SystemRandom().nodeID()
        let message = WireMessage(rpcID: placeholder, sender: sender, layer: 0, body: .question(method: method, args: args))
        let encoded = try MessageCodec.datagrams(for: message)
        guard encoded.count == 1 else { return try run { _ in (method, args) } }
        let template = encoded[0], digits = placeholder.hexUTF8
        let offsets = (0...(template.count - digits.count)).filter { template[$0..<($0 + digits.count)].elementsEqual(digits) }
        return try runLoop { _, id in
            var datagram = template
            let hex = id.hexUTF8
            for offset in offsets { datagram.replaceSubrange(offset..<(offset + hex.count), with: hex) }
            return [datagram]
        }
    }

    /// The loop of both `run`s: `encode(i, id)` gives the datagrams of the `i`th request under RPC id
    /// `id` (nil: skip it).
    private func runLoop(encode: (Int, NodeID) -> [[UInt8]]?) throws -> Result {
        let socket = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        let batch = DatagramBatch(capacity: 64)
        let rng = SystemRandom()
        var sentAt: [NodeID: UInt64] = [:]
        var counter = 0
        var answered = 0, errors = 0
        var latencies: [Double] = []
        latencies.reserveCapacity(1 << 16)
        func queueOne() {
            let id = rng.nodeID()
            counter += 1
            guard let datagrams = encode(counter - 1, id) else { return }
            sentAt[id] = monotonicNanos()
            for d in datagrams where !d.withUnsafeBytes({ batch.enqueue($0, to: target, on: socket) }) {
                socket.send(d, to: target)
            }
        }
        let start = monotonicNanos()
        let cpu0 = processCPUSeconds(), own0 = threadCPUSeconds()
        let end = start + UInt64(duration * 1e9)
        for _ in 0..<outstanding { queueOne() }
        batch.flush(on: socket)
        while monotonicNanos() < end {
            let count = batch.receive(from: socket)
            guard count > 0 else {
                if !Self.waitReadable(socket, milliseconds: 100) {
                    // Nothing for 100 ms: a datagram was lost; top the window up again.
                    let missing = outstanding - sentAt.count
                    if missing > 0 {
                        for _ in 0..<missing { queueOne() }
                    } else {
                        sentAt.removeAll()
                        for _ in 0..<outstanding { queueOne() }
                    }
                    batch.flush(on: socket)
                }
                continue
            }
            let now = monotonicNanos()
            for i in 0..<count {
                guard let (bytes, _) = batch.datagram(i),
                    case .framed(let header, let body) = Framing.classify(Array(bytes)), header.total == 1,
                    let started = sentAt.removeValue(forKey: header.rpcID)
                else { continue }
                if Self.isError(body) { errors += 1 } else { answered += 1 }
                if latencies.count < 1 << 16 { latencies.append(Double(now - started) / 1000) }
                queueOne()
            }
            batch.flush(on: socket)
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        let serverCPU = max(0, (processCPUSeconds() - cpu0) - (threadCPUSeconds() - own0))
        return Result(answered: answered, errors: errors, seconds: seconds, latenciesMicros: latencies, serverCPUSeconds: serverCPU)
    }

    /// Blocks until `socket` has a datagram to read or `milliseconds` passed; false on timeout.
    static func waitReadable(_ socket: UDPSocket, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: socket.fileDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }

    /// The start of an error reply's envelope: its first key, `i0e`, and the type 2 (the keys
    /// are sorted, so the type comes first).
    static let errorPrefix = Array("di0ei2e".utf8)

    /// Whether a reply is an error, read from its first bytes only: decoding the whole reply
    /// would cost the generator more for a larger result (a findValue dict) than for "pong",
    /// and on two cores the generator's own speed then bounds the rate it measures.
    static func isError(_ payload: ArraySlice<UInt8>) -> Bool { payload.starts(with: errorPrefix) }
}

/// CPU seconds (user and system) of this process, all threads.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU seconds of the calling thread.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Nanoseconds from a monotonic clock, for measurements only.
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
