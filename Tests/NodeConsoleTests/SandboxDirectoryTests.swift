import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import NodeConsole
import TestKit
import Testing

/// A `--sandbox` run's private data directory: fresh each run, removed at the end, and what a
/// second run in a row would have inherited without it (the contacts at the last run's ports).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SandboxDirectoryTests {
    /// A temporary base directory for one test, removed at the end.
    static func base() throws -> String {
        let path = NSTemporaryDirectory() + "/dhtop-sbd-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func eachRunGetsAFreshDirectoryRemovedAtTheEnd() throws {
        let base = try Self.base()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let first = try SandboxDirectory.create(in: base)
        let second = try SandboxDirectory.create(in: base)
        #expect(first.path != second.path)
        #expect(first.path.hasPrefix(base + "/" + SandboxDirectory.prefix))
        #expect(try FileManager.default.contentsOfDirectory(atPath: first.path) == ["pid"])
        FileManager.default.createFile(atPath: first.path + "/dhtop.sqlite3", contents: Data("x".utf8))
        first.remove()
        #expect(!FileManager.default.fileExists(atPath: first.path))
        #expect(FileManager.default.fileExists(atPath: second.path))
        second.remove()
        second.remove()  // idempotent
        #expect(try FileManager.default.contentsOfDirectory(atPath: base).isEmpty)
    }

    /// A run killed before it could clean up leaves its directory; the next run removes it, and
    /// never a directory whose process still runs or that has no pid file.
    @Test func abandonedDirectoriesOfDeadRunsAreRemoved() throws {
        let base = try Self.base()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = base + "/" + SandboxDirectory.prefix + "dead01"
        let alive = base + "/" + SandboxDirectory.prefix + "alive1"
        let unmarked = base + "/" + SandboxDirectory.prefix + "nopid1"
        for dir in [dead, alive, unmarked] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false) }
        try "\(finished.processIdentifier)\n".write(toFile: dead + "/pid", atomically: false, encoding: .utf8)
        try "\(getpid())\n".write(toFile: alive + "/pid", atomically: false, encoding: .utf8)

        let fresh = try SandboxDirectory.create(in: base)
        defer { fresh.remove() }
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: alive))
        #expect(FileManager.default.fileExists(atPath: unmarked))
    }

    /// Two sandbox runs in a row, as `dhtop --sandbox` makes them: the second run's node starts
    /// with no remembered contact, joins its own sandbox without a single timeout, and knows no
    /// port of the first run. Reopening the first run's directory instead shows what it would
    /// have inherited: the first sandbox's ports, which time out.
    @Test func aSecondRunInheritsNothingFromTheFirst() async throws {
        let base = try Self.base()
        defer { try? FileManager.default.removeItem(atPath: base) }

        let firstBox = try await Sandbox.start(count: 4)
        let firstDir = try SandboxDirectory.create(in: base)
        let firstNode = try Self.consoleNode(dataDirectory: firstDir.path, seeds: firstBox.endpoints)
        #expect(await firstNode.join().isJoined)
        #expect(firstNode.withEngine { $0.contacts(layer: 0).count } >= 3)
        firstNode.stop()
        let firstPorts = Set(firstBox.endpoints.map(\.port))
        firstBox.stop()

        // What reusing the directory would bring back: the first sandbox's (now dead) ports.
        let reused = try Self.consoleNode(dataDirectory: firstDir.path, seeds: [])
        let stale = reused.rememberedContacts[0] ?? []
        #expect(!stale.isEmpty && stale.allSatisfy { firstPorts.contains($0.port) }, "\(stale)")
        let staleTimeouts = Collector<Int>()
        let watch = reused.events.subscribe(queue: DispatchQueue(label: "test.stale")) { events in
            for timed in events { if case .rpcTimedOut = timed.event { staleTimeouts.add(1) } }
        }
        _ = await reused.join()
        #expect(await eventuallyAsync(timeout: 20) { !staleTimeouts.all.isEmpty }, "the remembered ports of the first run time out")
        watch.cancel()
        reused.stop()
        firstDir.remove()

        let secondBox = try await Sandbox.start(count: 4)
        defer { secondBox.stop() }
        let secondDir = try SandboxDirectory.create(in: base)
        defer { secondDir.remove() }
        let second = try Self.consoleNode(dataDirectory: secondDir.path, seeds: secondBox.endpoints)
        defer { second.stop() }
        #expect(second.rememberedContacts.values.allSatisfy { $0.isEmpty })
        let timeouts = Collector<Int>(), joinsFinished = Collector<Int>()
        let subscription = second.events.subscribe(queue: DispatchQueue(label: "test.second")) { events in
            for timed in events {
                let event = timed.event
                if case .rpcTimedOut = event { timeouts.add(1) }
                if case .lookupFinished(let s) = event, s.purpose == .join { joinsFinished.add(1) }
            }
        }
        defer { subscription.cancel() }
        #expect(await second.join().isJoined)
        let ports = second.withEngine { $0.contacts(layer: 0).map(\.endpoint.port) }
        #expect(ports.count >= 3)
        #expect(ports.allSatisfy { secondBox.endpoints.map(\.port).contains($0) }, "\(ports)")
        // Events arrive in order on the subscriber's queue: once the join's end is seen, every
        // timeout of the join has been seen too.
        #expect(await eventuallyAsync(timeout: 20) { !joinsFinished.all.isEmpty })
        #expect(timeouts.all.isEmpty, "\(timeouts.all.count) timeouts in the second run's join")
    }

    /// The console's node of a sandbox run: 127.0.0.1, a random port, the given data directory.
    static func consoleNode(dataDirectory: String, seeds: [Endpoint]) throws -> DHTNode {
        var options = NodeOptions()
        options.host = "127.0.0.1"
        options.port = 0
        options.dataDirectory = dataDirectory
        options.seeds = seeds
        options.engine.rpcTimeout = .milliseconds(500)
        let node = try DHTNode(options: options)
        node.start()
        return node
    }
}

extension OperationResult {
    var isJoined: Bool {
        if case .joined = self { return true }
        return false
    }
}
