import DHTControl
import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The socket's directory: created 0700 when missing; an existing one is never chmod-ed, and
/// one that others may write, or that is not ours, is refused with the path and the fix.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ControlDirectoryTests {
    @Test func worldWritableStickyDirectoryKeepsItsModeAndIsRefused() async throws {
        let f = try await ControlFixture()
        defer { f.stop() }
        let shared = f.base + "/shared"
        #expect(mkdir(shared, 0o700) == 0)
        #expect(chmod(shared, 0o1777) == 0)
        let server = ControlServer(node: f.node, configuration: .init(socketPath: shared + "/ctl.sock"))
        var message = ""
        do { try server.start() } catch { message = error.message }
        #expect(message.contains(shared), "\(message)")
        #expect(message.contains("other users may write"), "\(message)")
        #expect(message.contains("--control-socket") && message.contains("chmod go-w"), "\(message)")
        #expect(ControlPaths.mode(of: shared) == 0o1777)
        #expect(ControlPaths.mode(of: shared + "/ctl.sock") == nil)
        #expect(await f.pingFromPeer())
    }

    @Test func existingPrivateDirectoryIsUsedAsItIsAndAMissingOneIsCreated0700() async throws {
        let f = try await ControlFixture()
        defer { f.stop() }
        let mine = f.base + "/mine"
        #expect(mkdir(mine, 0o700) == 0)
        #expect(chmod(mine, 0o750) == 0)
        let a = ControlServer(node: f.node, configuration: .init(socketPath: mine + "/ctl.sock"))
        try a.start()
        defer { a.stop() }
        #expect(ControlPaths.mode(of: mine) == 0o750)
        #expect(ControlPaths.mode(of: mine + "/ctl.sock") == 0o600)
        let created = try ControlPaths.prepareDirectory(for: f.base + "/new/deeper/ctl.sock")
        #expect(created == [f.base + "/new", f.base + "/new/deeper"])
        #expect(ControlPaths.mode(of: f.base + "/new/deeper") == 0o700)
        #expect(ControlPaths.mode(of: f.base) == 0o755)
    }

    @Test func someoneElsesDirectoryIsRefused() async throws {
        #expect(ControlPaths.unsafeDirectoryProblem(mode: 0o700, owner: 1000, us: 1000) == nil)
        #expect(ControlPaths.unsafeDirectoryProblem(mode: 0o755, owner: 1000, us: 1000) == nil)
        #expect(ControlPaths.unsafeDirectoryProblem(mode: 0o770, owner: 1000, us: 1000)?.contains("770") == true)
        #expect(ControlPaths.unsafeDirectoryProblem(mode: 0o1777, owner: 0, us: 1000)?.contains("uid 0") == true)
        #expect(ControlPaths.unsafeDirectoryProblem(mode: 0o700, owner: 1001, us: 1000) != nil)
        guard getuid() == 0 else { return }
        let f = try await ControlFixture()
        defer { f.stop() }
        let theirs = f.base + "/theirs"
        #expect(mkdir(theirs, 0o700) == 0)
        #expect(chown(theirs, 65534, 65534) == 0)
        #expect(throws: ControlError.self) { try ControlPaths.prepareDirectory(for: theirs + "/ctl.sock") }
        #expect(ControlPaths.mode(of: theirs) == 0o700)
    }
}
