#if canImport(Glibc)
    import Glibc
#endif

/// Lets root talk to a node that runs as another user. The node admits only its own uid
/// (`ControlAccessPolicy`, checked with `SO_PEERCRED`), so a client run as root — `sudo dhtop
/// status` against the systemd unit's node, which runs as `dhtop` — first becomes the socket's
/// owner: supplementary groups dropped, then gid, then uid, for good. Anyone else is left as
/// they are. Reads the file system and changes the process's credentials; call once, before
/// connecting, from the main thread.
public enum ClientIdentity {
    /// When this process is root and `socketPath` belongs to another user, becomes that user
    /// (and group). Returns the uid it became, nil when nothing changed; throws when the
    /// switch fails (the process is then not connected as anyone it did not mean to be).
    @discardableResult
    public static func becomeOwner(of socketPath: String) throws(ControlError) -> UInt32? {
        guard getuid() == 0 || geteuid() == 0 else { return nil }
        var st = stat()
        guard stat(socketPath, &st) == 0 else { return nil }  // the connect reports the missing socket
        guard st.st_uid != 0 else { return nil }
        guard setgroups(0, nil) == 0 else { throw .errno("setgroups") }
        guard setgid(st.st_gid) == 0 else { throw .errno("setgid \(st.st_gid)") }
        guard setuid(st.st_uid) == 0 else { throw .errno("setuid \(st.st_uid)") }
        guard setuid(0) != 0 else { throw ControlError("could not drop root before connecting to \(socketPath)") }
        return st.st_uid
    }
}
