import ArgumentParser
import ConsoleModel
import DHTCore
import DHTRuntime
import DHTWire
#if canImport(Glibc)
import Glibc
#endif

/// Where dhtop writes: results on stdout, one-line reasons and notes on stderr.
/// Stateless; thread-safe (each call is one unbuffered write of whole lines).
enum Output {
    /// One line on stdout, flushed at once (scripts and tests read it as it comes).
    /// When stdout is a terminal, every line is made safe as the console makes network text
    /// safe (`Sanitizer`): a value's escape sequences are shown, never obeyed.
    static func line(_ text: String) {
        write(terminalSafe(text, fd: STDOUT_FILENO) + "\n", to: STDOUT_FILENO)
    }

    /// The one-line reason for a failure: `dhtop: <text>` on stderr (escaped on a terminal).
    static func fail(_ text: String) {
        write("dhtop: \(terminalSafe(text, fd: STDERR_FILENO))\n", to: STDERR_FILENO)
    }

    /// A warning or note that does not change the outcome, on stderr (escaped on a terminal).
    static func note(_ text: String) {
        write("dhtop: \(terminalSafe(text, fd: STDERR_FILENO))\n", to: STDERR_FILENO)
    }

    /// `text` unchanged when `fd` is not a terminal (pipes and files get the bytes as they are);
    /// on a terminal each line is escaped by `Sanitizer.clean`, keeping the line breaks.
    static func terminalSafe(_ text: String, fd: Int32) -> String {
        guard isatty(fd) != 0 else { return text }
        return terminalSafe(text)
    }

    /// Each line of `text` escaped by `Sanitizer.clean`; the line breaks themselves are kept.
    static func terminalSafe(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { Sanitizer.clean(String($0)) }.joined(separator: "\n")
    }

    /// Writes all of `text` to a file descriptor, unbuffered (retrying short writes).
    static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Milliseconds, as `4.2 ms`.
    static func ms(_ d: Duration) -> String {
        let v = d.milliseconds
        return v < 10 ? String(Double(Int((v * 10).rounded())) / 10) + " ms" : "\(Int(v.rounded())) ms"
    }

    /// `after 3 rounds, 11 RPCs, 4.2 ms`: how much a lookup cost.
    static func cost(_ s: LookupSummary) -> String {
        "after \(s.rounds) round\(s.rounds == 1 ? "" : "s"), \(s.rpcsSent) RPC\(s.rpcsSent == 1 ? "" : "s"), \(ms(s.elapsed))"
    }

    /// A stored value as text: UTF-8 strings as they are, anything else in a bencode-like form.
    static func text(of value: BValue) -> String {
        switch value {
        case .bytes(let b): return String(validating: b, as: UTF8.self) ?? "0x" + b.map { hex2($0) }.joined()
        case .int(let i): return String(i)
        case .list(let l): return "[" + l.map(text(of:)).joined(separator: ", ") + "]"
        case .dict(let d):
            let items = d.map { key, v -> String in
                let k: String
                switch key {
                case .int(let i): k = String(i)
                case .bytes(let b): k = String(decoding: b, as: UTF8.self)
                }
                return "\(k): \(text(of: v))"
            }
            return "{" + items.sorted().joined(separator: ", ") + "}"
        }
    }

    private static func hex2(_ b: UInt8) -> String {
        let h = String(b, radix: 16)
        return h.count == 1 ? "0" + h : h
    }
}

/// Builds one single-line JSON object, fields in insertion order. A value type.
extension Output {
    /// A failed one-shot command: with `--json` the object gets `ok: false` and the reason and
    /// is printed, then one `dhtop:` line goes to stderr. Returns the exit status to throw.
    static func failure(_ reason: String, json: JSONObject, asJSON: Bool) -> ExitCode {
        if asJSON {
            var json = json
            json.add("ok", false)
            json.add("error", reason)
            line(json.text)
        }
        fail(reason)
        return ExitCode(DHTop.failureStatus)
    }
}

struct JSONObject {
    private var parts: [String] = []

    /// The object's text.
    var text: String { "{" + parts.joined(separator: ",") + "}" }

    mutating func raw(_ key: String, _ json: String) { parts.append(EventJSON.quote(key) + ":" + json) }
    mutating func add(_ key: String, _ value: String?) { raw(key, value.map(EventJSON.quote) ?? "null") }
    mutating func add(_ key: String, _ value: Int) { raw(key, String(value)) }
    mutating func add(_ key: String, _ value: Bool) { raw(key, value ? "true" : "false") }
    mutating func add(_ key: String, _ value: Double) {
        raw(key, value.isFinite ? String((value * 1000).rounded() / 1000) : "null")
    }
    mutating func add(_ key: String, objects: [JSONObject]) {
        raw(key, "[" + objects.map(\.text).joined(separator: ",") + "]")
    }

    /// The usual statistics of a lookup: rounds, rpcs, responders, timeouts, elapsed_ms.
    mutating func addCost(_ s: LookupSummary) {
        add("rounds", s.rounds)
        add("rpcs", s.rpcsSent)
        add("responders", s.responders)
        add("timeouts", s.timeouts)
        add("elapsed_ms", s.elapsed.milliseconds)
    }

    /// One contact as `{"id": …, "address": …}`.
    static func contact(_ c: ContactTriple) -> JSONObject {
        var o = JSONObject()
        o.add("id", c.id.hex)
        o.add("address", c.endpoint.description)
        return o
    }
}
