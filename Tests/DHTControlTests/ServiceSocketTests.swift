import DHTControl
import Testing

/// How `status` and `attach` pick a socket without `--socket`: the user's own first, then, for
/// root or the service's user only, the systemd unit's `/run/dhtop/PORT.sock`.
struct ServiceSocketTests {
    let env = ["XDG_RUNTIME_DIR": "/run/user/1000"]

    @Test func theUnitsSocketIsUnderItsRuntimeDirectory() {
        #expect(ControlPaths.serviceSocket(port: 14441) == "/run/dhtop/14441.sock")
        #expect(ControlPaths.serviceSocket(port: 9) == "/run/dhtop/9.sock")
        #expect(ControlPaths.serviceUser == "dhtop")
    }

    @Test func anExistingOwnSocketWinsForEveryone() {
        for (user, uid) in [("alice", UInt32(1000)), ("root", 0), ("dhtop", 998)] {
            let chosen = ControlPaths.clientSocket(
                port: 14441, dataDirectory: "/d", environment: env, userName: user, uid: uid,
                exists: { _ in true })
            #expect(chosen == "/run/user/1000/dhtop/14441.sock")
        }
    }

    @Test func rootAndTheServiceUserFallBackToTheUnitsSocket() {
        let only: (String) -> Bool = { $0 == "/run/dhtop/14441.sock" }
        #expect(
            ControlPaths.clientSocket(
                port: 14441, dataDirectory: "/root/.local/share/dhtop", environment: [:],
                userName: "root", uid: 0, exists: only) == "/run/dhtop/14441.sock")
        // sudo -u dhtop: no XDG_RUNTIME_DIR, HOME=/var/lib/dhtop.
        #expect(
            ControlPaths.clientSocket(
                port: 14441, dataDirectory: "/var/lib/dhtop/.local/share/dhtop", environment: [:],
                userName: "dhtop", uid: 998, exists: only) == "/run/dhtop/14441.sock")
        // The port picks the unit's socket too.
        #expect(
            ControlPaths.clientSocket(
                port: 20000, dataDirectory: nil, environment: [:], userName: "root", uid: 0,
                exists: { $0 == "/run/dhtop/20000.sock" }) == "/run/dhtop/20000.sock")
    }

    @Test func otherUsersKeepTheirOwnDefault() {
        let chosen = ControlPaths.clientSocket(
            port: 14441, dataDirectory: "/home/alice/.local/share/dhtop", environment: [:],
            userName: "alice", uid: 1000, exists: { $0 == "/run/dhtop/14441.sock" })
        #expect(chosen == "/home/alice/.local/share/dhtop/control.sock")
    }

    @Test func withNoSocketAnywhereTheOwnDefaultIsNamed() {
        #expect(
            ControlPaths.clientSocket(
                port: 14441, dataDirectory: "/d", environment: env, userName: "root", uid: 0,
                exists: { _ in false }) == "/run/user/1000/dhtop/14441.sock")
        #expect(
            ControlPaths.clientSocket(
                port: 14441, dataDirectory: nil, environment: [:], userName: "root", uid: 0,
                exists: { _ in false }) == nil)
    }
}
