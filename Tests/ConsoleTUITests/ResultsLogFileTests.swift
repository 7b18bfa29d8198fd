@testable import ConsoleTUI
import DHTWire
import Foundation
import Testing

/// The results log's file: a new file per write, named by the UTC time, never overwritten.
@Suite struct ResultsLogFileTests {
    @Test func stampIsTheUTCDateAndTime() {
        // 2026-11-27 18:15:02 UTC, and the first second of 2000 (a leap year's February).
        #expect(ResultsLogFile.stamp(Timestamp(unixSeconds: 1_795_803_302)) == "20261127-181502")
        #expect(ResultsLogFile.stamp(Timestamp(unixSeconds: 951_782_400)) == "20000229-000000")
        #expect(ResultsLogFile.stamp(Timestamp(unixSeconds: 0)) == "19700101-000000")
    }

    @Test func writesANewFileEachTimeInDirectoriesItCreates() throws {
        let base = NSTemporaryDirectory() + "dhtop-resultslog-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let dir = base + "/state/dhtop"
        let t = Timestamp(unixSeconds: 1_795_803_302)
        let first = try ResultsLogFile.write("one\n", at: t, in: dir).get()
        let second = try ResultsLogFile.write("two\n", at: t, in: dir).get()
        #expect(first == dir + "/results-20261127-181502.log")
        #expect(second == dir + "/results-20261127-181502-1.log")
        #expect(try String(contentsOfFile: first, encoding: .utf8) == "one\n")
        #expect(try String(contentsOfFile: second, encoding: .utf8) == "two\n")
        let mode = try FileManager.default.attributesOfItem(atPath: first)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let dirMode = try FileManager.default.attributesOfItem(atPath: dir)[.posixPermissions] as? Int
        #expect(dirMode == 0o700)
    }

    @Test func aFileInTheWayOfTheDirectoryIsAnError() throws {
        let base = NSTemporaryDirectory() + "dhtop-resultslog-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: base + "/dhtop", contents: Data())
        guard case .failure(let f) = ResultsLogFile.write("x", at: Timestamp(unixSeconds: 0), in: base + "/dhtop") else {
            Issue.record("wrote through a file")
            return
        }
        #expect(f.message.hasPrefix("cannot create \(base)/dhtop"))
    }
}
