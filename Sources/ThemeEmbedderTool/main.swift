#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// ThemeEmbedderTool OUTPUT.swift THEME.toml…: writes `EmbeddedThemes.files`, each theme file's
// name (without `.toml`) and text as a Swift string literal, for the ThemeEmbedder build plugin.
// Runs at build time only; never part of dhtop.

/// Prints `message` on standard error and exits with `status`.
func fail(_ message: String, status: Int32 = 1) -> Never {
    let line = "ThemeEmbedderTool: " + message + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(status)
}

/// The whole file, or exits with a message.
func readFile(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fail("cannot read \(path)") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return bytes
}

/// `text` as a Swift string literal: quotes, backslashes and every non-printable-ASCII scalar
/// escaped, so any file content is a valid literal.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case " "..."~": out.unicodeScalars.append(scalar)
        default: out += "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }
    return out + "\""
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: ThemeEmbedderTool OUTPUT.swift THEME.toml…", status: 2) }
var source = "// Generated at build time from themes/*.toml by the ThemeEmbedder plugin; do not edit.\n\n"
source += "extension EmbeddedThemes {\n    static let files: [String: String] = [\n"
for path in arguments.dropFirst(2) {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    let name = file.hasSuffix(".toml") ? String(file.dropLast(5)) : file
    let text = String(decoding: readFile(path), as: UTF8.self)
    source += "        \(literal(name)): \(literal(text)),\n"
}
source += "    ]\n}\n"
guard let out = fopen(arguments[1], "wb") else { fail("cannot write \(arguments[1])") }
fputs(source, out)
fclose(out)
