import DHTCore
import DHTStorage
import DHTWire
import Foundation
import TestKit

/// A fresh directory path inside a new temporary directory, removed (with everything in it)
/// when the value is released. The directory itself is not created: that is the code under test.
final class TempDir: @unchecked Sendable {
    let root: String
    let path: String

    init() {
        root = TemporaryDirectory.create("dhtop-storage")
        path = root + "/data"
    }

    deinit {
        chmod(root, 0o700)
        chmod(path, 0o700)
        TemporaryDirectory.remove(root)
    }

    var databaseFile: String { path + "/" + NodeDatabase.fileName }
}

/// A deterministic id from a small number.
func testID(_ n: UInt64) -> NodeID {
    NodeID(high: n &* 0x9E37_79B9_7F4A_7C15, middle: n, low: UInt32(truncatingIfNeeded: n &+ 7))
}

/// A layer-0 record with a JSON text value, as BitDust stores.
func testRecord(_ n: Int, layer: Int = 0, value: [UInt8]? = nil, publisher: NodeID? = nil) -> StoredRecord {
    StoredRecord(
        layer: layer, key: testID(UInt64(n)).hexUTF8,
        value: .bytes(value ?? Array("{\"k\":\"key-\(n)\",\"d\":\"value \(n)\",\"v\":1}".utf8)),
        lastPublished: 1_700_000_000 + Int64(n), originallyPublished: 1_699_999_000 + Int64(n),
        publisher: publisher, expireSeconds: 43_200)
}

/// A small thread-safe counter table, for completion bookkeeping.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int]
    private(set) var failures = 0

    init(_ n: Int) { counts = Array(repeating: 0, count: n) }

    func record(_ i: Int, _ result: Result<Void, StorageError>) {
        lock.lock()
        counts[i] += 1
        if case .failure = result { failures += 1 }
        lock.unlock()
    }

    var snapshot: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return counts
    }
}

/// Runs `body(i)` on `count` separate OS threads and waits for all of them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        let t = Thread {
            body(i)
            group.leave()
        }
        t.stackSize = 1 << 20
        t.start()
    }
    group.wait()
}
