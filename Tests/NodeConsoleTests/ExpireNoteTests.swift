import DHTCore
import DHTRuntime
import LocalNode
import NodeAPI
import TestKit
import Testing

/// `set` at the prompt (and everywhere `LocalNodeBackend` runs it) says when the lifetime asked
/// for was changed to fit 120…43,200 s, and says nothing when it was not.
@Suite(.timeLimit(.minutes(1)))
struct ExpireNoteTests {
    @Test func aClampedLifetimeIsAnnounced() async throws {
        let node = try Loopback.node(validate: false)
        defer { node.stop() }
        _ = await node.join()
        let backend = LocalNodeBackend(node: node)
        let value = "{\"type\":\"skip_validation\"}"
        let short = await backend.outcome(.set(try KeyArgument("short", raw: false), value: value, expireSeconds: 5)).0
        #expect(short.succeeded, "\(short.summary)")
        #expect(short.summary.hasSuffix("; expire 5 s raised to the minimum 120 s"), "\(short.summary)")
        #expect(short.fields["expire_seconds"] == .int(120))
        let long = await backend.outcome(.set(try KeyArgument("long", raw: false), value: value, expireSeconds: 50_000)).0
        #expect(long.summary.hasSuffix("; expire 50000 s lowered to the maximum 43200 s"), "\(long.summary)")
        let fine = await backend.outcome(.set(try KeyArgument("fine", raw: false), value: value, expireSeconds: 600)).0
        #expect(!fine.summary.contains("expire") && fine.fields["expire_note"] == nil, "\(fine.summary)")
        #expect(node.withEngine { $0.record(layer: 0, key: DHTKey.hash("short").hexUTF8)?.expireSeconds } == 120)
    }
}
