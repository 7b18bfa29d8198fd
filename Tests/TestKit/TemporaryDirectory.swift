import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Fresh, empty, uniquely named directories for tests (`mkdtemp`, mode 0700), and their removal.
/// Thread-safe; reads no clock.
public enum TemporaryDirectory {
    /// Creates `<base>/<prefix>-XXXXXX` and returns its path. `base` defaults to the system's
    /// temporary directory (`$TMPDIR`, else `/tmp`). Traps if the directory cannot be made.
    public static func create(_ prefix: String = "dhtop-test", under base: String = NSTemporaryDirectory()) -> String {
        var base = base
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/" + prefix + "-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            preconditionFailure("mkdtemp under \(base) failed: errno \(errno)")
        }
        return String(cString: made)
    }

    /// `create` as a file URL.
    public static func createURL(_ prefix: String = "dhtop-test") -> URL {
        URL(fileURLWithPath: create(prefix), isDirectory: true)
    }

    /// Removes `path` and everything in it; a missing path is not an error.
    public static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
