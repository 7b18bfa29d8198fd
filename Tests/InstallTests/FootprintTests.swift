import Foundation
import TestKit
import Testing

/// Issue 13's footprint rule: the dhtop binary under test (`$DHTOP_BIN`, else the debug build)
/// depends on FoundationEssentials at most. No full Foundation, FoundationXML,
/// FoundationInternationalization, ICU or libxml2 — neither loaded as a shared library (ldd) nor
/// linked in statically (the symbol table has none of their symbols). The product sources import
/// none of those modules either.
@Suite(.serialized) struct FootprintTests {
    static let forbiddenLibraries = [
        "libFoundation.so", "libFoundationXML.so", "libFoundationInternationalization.so", "libFoundationNetworking.so",
        "lib_FoundationICU.so", "libicuuc.so", "libicui18n.so", "libicudata.so", "libxml2.so"
    ]
    static let accessLevels: Set = ["public", "package", "internal", "fileprivate", "private"]
    static let importKinds: Set = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
    static let forbiddenModules = ["Foundation", "FoundationXML", "FoundationInternationalization", "FoundationNetworking", "TOMLKit"]

    @Test func binaryLoadsNoFoundationICUOrXML() throws {
        try RepositoryPaths.requireDhtop()
        let ldd = try Install.run(["ldd", RepositoryPaths.dhtop])
        let loaded = ldd.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!loaded.isEmpty, "\(ldd.both)")
        for library in Self.forbiddenLibraries {
            #expect(!loaded.contains { $0.hasPrefix(library) }, "dhtop loads \(library):\n\(ldd.stdout)")
        }
    }

    @Test func binaryHasNoFoundationICUOrXMLSymbols() throws {
        try RepositoryPaths.requireDhtop()
        let binary = RepositoryPaths.dhtop
        let all = try Install.run(["sh", "-c", "nm --defined-only '\(binary)' | wc -l"])
        let count = Int(all.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        try #require(count > 1000, "nm listed \(count) symbols (a stripped binary cannot be checked): \(all.stderr)")
        // Swift symbols of those modules demangle to `Foundation.`…; libxml2's C symbols start with
        // `xml`, ICU's with `u_`, `ucol_`, `ubrk_` and end in a version suffix.
        let pattern = "[ (<,]Foundation(XML|Internationalization|Networking)?\\.| xml(SAX|Parse|ReadMemory)| (ucol|ubrk|unorm2)_[a-zA-Z]+_[0-9]+$"
        let bad = try Install.run(["sh", "-c", "nm --defined-only -C '\(binary)' | grep -E '\(pattern)' | head -5"])
        #expect(bad.stdout.isEmpty, "dhtop defines symbols of Foundation, ICU or libxml2, e.g.:\n\(bad.stdout)")
    }

    /// Once ready, `dhtop node` drops its mappings of its own code (`StartupCodePages`: start-up
    /// code is not kept resident), says so at debug level, and the code it runs afterwards is
    /// mapped back on use: the node still answers a ping and `dhtop status`.
    @Test func anIdleNodeUnmapsItsStartUpCodeAndKeepsServing() throws {
        try RepositoryPaths.requireDhtop()
        let tmp = try Install.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let socket = tmp + "/control.sock"
        let node = try ChildProcess(
            RepositoryPaths.dhtop,
            [
                "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", tmp + "/node", "--control-socket", socket,
                "--log-level", "debug", "--log-format", "plain"
            ])
        defer { node.stop() }
        let ready = try #require(node.waitForReady(timeout: 120), "\(node.stdout.text)\(node.stderr.text)")
        let unmapped = eventually(timeout: 120) { node.stdout.text.contains("start-up code unmapped: ") }
        #expect(unmapped, "no unmapping logged:\n\(node.stdout.text)\(node.stderr.text)")
        let ping = try Install.run([RepositoryPaths.dhtop, "ping", "127.0.0.1:\(ready.port)", "--timeout", "10"], timeout: 120)
        #expect(ping.status == 0, "\(ping.both)")
        let status = try Install.run([RepositoryPaths.dhtop, "status", "--socket", socket], timeout: 120)
        #expect(status.status == 0 && status.stdout.contains(ready.id), "\(status.both)")
        #expect(node.isRunning)
    }

    @Test func productSourcesImportNoFullFoundation() throws {
        let sources = RepositoryPaths.root + "/Sources"
        let files = (FileManager.default.enumerator(atPath: sources)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
        try #require(files.count > 50)
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                // `import M`, `import struct M.T`, with attributes or an access level before it.
                var words = line.split(separator: " ").map(String.init)
                while let first = words.first, first.hasPrefix("@") || Self.accessLevels.contains(first) { words.removeFirst() }
                guard words.first == "import", words.count >= 2 else { continue }
                let path = words.count >= 3 && Self.importKinds.contains(words[1]) ? words[2] : words[1]
                let module = path.split(separator: ".").first.map(String.init) ?? ""
                if Self.forbiddenModules.contains(module) { offenders.append("\(file): \(line)") }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}
