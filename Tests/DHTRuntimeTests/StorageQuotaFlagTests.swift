import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import TestKit
import Testing

/// `--storage-quota` / `--storage-total`: sizes with suffixes, refused when not a size, and a
/// running node refuses a store past the quota with the reason.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct StorageQuotaFlagTests {
    @Test(arguments: [
        ("65536", 65_536), ("64K", 65_536), ("1M", 1_048_576), ("64M", 67_108_864), ("2G", 2_147_483_648),
        ("1m", 1_048_576), ("64MiB", 67_108_864), ("512KB", 524_288), ("1T", 1 << 40)
    ])
    func sizesAreParsed(text: String, bytes: Int) {
        #expect(ByteCount.parse(text) == bytes)
    }

    @Test(arguments: ["", "M", "-1M", "1.5M", "12X", "99999999999999999999", "4096T", "1 M", "0x10"])
    func nonSizesAreRefused(text: String) {
        #expect(ByteCount.parse(text) == nil)
    }

    @Test func aBadQuotaStopsTheNodeWithAUsageError() throws {
        let run = try DhtopProcess.run(
            [
                "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis",
                "--storage-quota", "lots"
            ], timeout: 10)
        #expect(run.status != 0)
        #expect(run.stderr.contains("--storage-quota 'lots' is not a size"), "\(run.stderr)")
    }

    @Test func aNodeWithA1MQuotaRefusesAStorePastItsPublisherShare() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try DhtopProcess([
            "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--no-validate",
            "--data-dir", dir + "/data", "--storage-quota", "1M"
        ])
        defer { node.terminate() }
        let ready = try #require(node.waitForReady(), "no READY: \(node.stderr.text)")
        let client = try RawClient(to: Endpoint(address: Endpoint.loopback, port: ready.port))
        defer { client.close() }
        // 1M / 16 = 65 536 bytes per publisher: a 40 000-byte value fits once, not twice.
        let value = BValue.bytes([UInt8](repeating: 0x43, count: 40_000))
        let one = client.call("store", [.bytes(DHTKey.hash("q1").hexUTF8), value, .bytes(client.id.hexUTF8)])
        #expect(one?.body == .response("OK"))
        let two = try #require(client.call("store", [.bytes(DHTKey.hash("q2").hexUTF8), value, .bytes(client.id.hexUTF8)]))
        guard case .error(let type, let text) = two.body else {
            Issue.record("second store accepted: \(two.body)")
            return
        }
        #expect(type == "builtins.ValueError")
        #expect(text.contains("may keep at most 65536 bytes"), "\(text)")
    }
}
