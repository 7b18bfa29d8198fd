import Foundation
import TestKit
import Testing

/// Temporary directories are fresh, private and removed whole; `eventually` reports whether
/// its condition came to hold.
@Suite struct TemporaryDirectoryTests {
    @Test func createsDistinctPrivateDirectoriesAndRemovesThemWhole() throws {
        let a = TemporaryDirectory.create("testkit"), b = TemporaryDirectory.create("testkit")
        #expect(a != b)
        let attributes = try FileManager.default.attributesOfItem(atPath: a)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: a).isEmpty)
        try FileManager.default.createDirectory(atPath: a + "/x/y", withIntermediateDirectories: true)
        TemporaryDirectory.remove(a)
        TemporaryDirectory.remove(b)
        #expect(!FileManager.default.fileExists(atPath: a))
        #expect(!FileManager.default.fileExists(atPath: b))
    }

    @Test func eventuallyReportsWhetherTheConditionHeld() async {
        var calls = 0
        #expect(
            eventually(timeout: 30) {
                calls += 1
                return calls == 3
            })
        #expect(calls == 3)
        #expect(!eventually(timeout: 0.05) { false })
        var asyncCalls = 0
        #expect(
            await eventuallyAsync(timeout: 30) {
                asyncCalls += 1
                return asyncCalls == 2
            })
        #expect(!(await eventuallyAsync(timeout: 0.05) { false }))
    }

    @Test func repositoryPathsPointIntoThisCheckout() {
        #expect(FileManager.default.fileExists(atPath: RepositoryPaths.root + "/Package.swift"))
        #expect(RepositoryPaths.debugDhtop == RepositoryPaths.root + "/.build/debug/dhtop")
        #expect(RepositoryPaths.refnode.hasSuffix("/shared/reference/refnode.py"))
    }
}
