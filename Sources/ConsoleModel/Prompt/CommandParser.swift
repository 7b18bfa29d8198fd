import BitDustRecords
import DHTWire
import NodeAPI

/// Parses a prompt line into a `PromptCommand`, or a one-line error that says what is wrong.
/// Keys follow `KeyArgument`'s rule (hashed; `--raw-key` takes 40 hex digits as is).
/// Pure and thread-safe.
public enum CommandParser {
    /// A parse failure; `message` is the one line shown at the prompt.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    /// Parses `line`. Words are split on spaces; `"…"` or `'…'` keep spaces inside one word.
    public static func parse(_ line: String) -> Result<PromptCommand, Failure> {
        let located: [(word: String, start: Int)]
        switch splitLocated(line) {
        case .success(let w): located = w
        case .failure(let f): return .failure(f)
        }
        let words = located.map(\.word)
        guard let verb = words.first?.lowercased() else { return .failure(Failure("empty command; try 'help'")) }
        var args = Array(words.dropFirst())
        if verb == "get" && args.first == "--record" { return recordRead(Array(args.dropFirst())).map(PromptCommand.node) }
        if verb == "set" && args.first == "--record" { return recordWrite(Array(args.dropFirst())).map(PromptCommand.node) }
        var rawKey = false
        if verb == "watch" && args.first == "--record" { return watchRecord(Array(args.dropFirst())).map(PromptCommand.node) }
        var unchecked = false
        while ["get", "set", "delete", "del", "find", "watch"].contains(verb), let flag = args.first {
            if flag == "--raw-key" {
                rawKey = true
            } else if flag == "--unchecked" && verb == "set" {
                unchecked = true
            } else {
                break
            }
            args.removeFirst()
        }
        func need(_ n: ClosedRange<Int>, _ usage: String) -> Failure? {
            n.contains(args.count) ? nil : Failure("usage: \(usage)")
        }
        func key(_ text: String) -> Result<KeyArgument, Failure> {
            do throws(KeyArgument.Invalid) { return .success(try KeyArgument(text, raw: rawKey)) } catch {
                return .failure(Failure(error.description))
            }
        }
        switch verb {
        case "get":
            if let f = need(1...1, "get [--raw-key] KEY") { return .failure(f) }
            return key(args[0]).map { .node(.get($0)) }
        case "set":
            if args.count >= 2, args[1] == "--text" {
                // The rest of the line after `--text`, as typed.
                let index = words.count - args.count + 2
                guard index < located.count else { return .failure(Failure("usage: set [--raw-key] KEY --text WORDS…")) }
                let text = String(Array(line)[located[index].start...]).trimmingSpaces
                return key(args[0]).map { .node(.set($0, value: SetValue.text(text), expireSeconds: nil)) }
            }
            if let f = need(2...3, "set [--raw-key] KEY VALUE [EXPIRE]  or  set KEY --text WORDS…") { return .failure(f) }
            var expire: Int64?
            if args.count == 3 {
                guard let e = Int64(args[2]), e > 0 else {
                    return .failure(Failure("EXPIRE must be a positive number of seconds, not '\(Sanitizer.clean(args[2]))'"))
                }
                expire = e
            }
            if !unchecked {
                do throws(SetValue.Invalid) { try SetValue.check(args[1]) } catch { return .failure(Failure(error.description)) }
            }
            return key(args[0]).map { .node(.set($0, value: args[1], expireSeconds: expire)) }
        case "delete", "del":
            if let f = need(1...1, "delete [--raw-key] KEY") { return .failure(f) }
            return key(args[0]).map { .node(.delete($0)) }
        case "ping", "join":
            if let f = need(1...1, "\(verb) HOST:PORT") { return .failure(f) }
            guard let ep = NodeCommand.endpoint(args[0]) else {
                return .failure(Failure("'\(Sanitizer.clean(args[0]))' is not HOST:PORT (IPv4 address, port 1-65535)"))
            }
            return .success(.node(verb == "ping" ? .ping(ep) : .join(ep)))
        case "find":
            if let f = need(1...1, "find ID|KEY") { return .failure(f) }
            do throws(KeyArgument.Invalid) { return .success(.node(.find(try KeyArgument.findTarget(args[0], raw: rawKey)))) } catch {
                return .failure(Failure(error.description))
            }
        case "discover":
            if let f = need(0...2, "discover [LAYER] [N]") { return .failure(f) }
            guard let numbers = numbers(args) else {
                return .failure(Failure("usage: discover [LAYER] [N] (LAYER 0-9, N 1-100)"))
            }
            if let count = numbers.dropFirst().first, !ReachLimits.discoverCount.contains(count) {
                return .failure(Failure("N must be 1-100, not \(count)"))
            }
            let options = DiscoverOptions(count: numbers.dropFirst().first ?? ReachLimits.discoverDefaultCount)
            guard let layer = numbers.first else { return .success(.node(.discover(options))) }
            guard (0...9).contains(layer) else { return .failure(Failure("LAYER must be 0-9, not \(layer)")) }
            return .success(.nodeOn(.discover(options), layer: layer))
        case "watch":
            if let f = need(1...2, "watch [--raw-key] KEY [N]") { return .failure(f) }
            var count = ReachLimits.watchCount.lowerBound
            if args.count == 2 {
                guard let c = Int(args[1]), ReachLimits.watchCount.contains(c) else {
                    return .failure(Failure("N must be a number of reports 1 or more, not '\(Sanitizer.clean(args[1]))'"))
                }
                count = c
            }
            return key(args[0]).map { .node(.watch(.key($0), WatchOptions(count: count))) }
        case "crawl":
            if let f = need(0...1, "crawl [RATE]") { return .failure(f) }
            var options = CrawlOptions()
            if let text = args.first {
                guard let r = Int(text), ReachLimits.crawlRate.contains(r) else {
                    return .failure(Failure("RATE must be 1-500 RPCs a second, not '\(Sanitizer.clean(text))'"))
                }
                options = CrawlOptions(rate: r)
            }
            return .success(.node(.crawl(options)))
        case "latency":
            if let f = need(0...0, "latency") { return .failure(f) }
            return .success(.node(.latency))
        case "forget":
            if let f = need(1...1, "forget ID") { return .failure(f) }
            guard let id = NodeID(hex: args[0]) else {
                return .failure(Failure("ID must be a node id of 40 hex digits, not '\(Sanitizer.clean(args[0]))'"))
            }
            return .success(.node(.forget(id)))
        case "layer":
            if let f = need(1...1, "layer N") { return .failure(f) }
            guard let n = Int(args[0]), n >= 0 else {
                return .failure(Failure("layer must be a number 0 or more, not '\(Sanitizer.clean(args[0]))'"))
            }
            return .success(.layer(n))
        case "filter":
            return .success(.filter(args.joined(separator: " ")))
        case "theme":
            if let f = need(1...1, "theme NAME") { return .failure(f) }
            return .success(.theme(args[0]))
        case "help", "?":
            return .success(.help)
        case "quit", "q", "exit":
            return .success(.quit)
        default:
            return .failure(Failure("unknown command '\(Sanitizer.clean(verb))'; try 'help'"))
        }
    }

    /// Every word as a whole number, or nil.
    static func numbers(_ args: [String]) -> [Int]? {
        let values = args.compactMap { Int($0) }
        return values.count == args.count ? values : nil
    }

    /// `watch --record TYPE PARTS…`: the type is known and the parts make its key.
    static func watchRecord(_ args: [String]) -> Result<NodeCommand, Failure> {
        recordRead(args).map { command in
            guard case .getRecord(let type, let parts) = command else { return command }
            return .watch(.record(type: type, parts: parts), WatchOptions())
        }
    }

    /// `get --record TYPE PARTS…`: the type is known and the parts make its key.
    static func recordRead(_ args: [String]) -> Result<NodeCommand, Failure> {
        guard let name = args.first else { return .failure(Failure("usage: get --record TYPE PARTS…")) }
        guard let type = RecordType(name: name) else { return .failure(unknownType(name)) }
        let parts = Array(args.dropFirst())
        do { _ = try RecordKey.parse(type: type, parts: parts) } catch { return .failure(keyFailure(error, type)) }
        return .success(.getRecord(type: type, parts: parts))
    }

    /// `set --record TYPE PARTS… FIELD=VALUE…`: parts up to the first `FIELD=` word
    /// (`RecordWriteFlow.split`); the key and the assignments' shape are checked here, the rules
    /// by the backend (they need the clock).
    static func recordWrite(_ args: [String]) -> Result<NodeCommand, Failure> {
        guard let name = args.first else { return .failure(Failure("usage: set --record TYPE PARTS… FIELD=VALUE…")) }
        guard let type = RecordType(name: name) else { return .failure(unknownType(name)) }
        let (parts, assignments) = RecordWriteFlow.split(Array(args.dropFirst()))
        do { _ = try RecordKey.parse(type: type, parts: parts) } catch { return .failure(keyFailure(error, type)) }
        if type.isLegacy { return .failure(Failure("\(type.rawValue) records cannot be written: legacy non-JSON format")) }
        do { _ = try RecordBuilder.parseAssignments(assignments) } catch { return .failure(Failure(Sanitizer.clean(error.description))) }
        return .success(.setRecord(type: type, parts: parts, assignments: assignments))
    }

    static func unknownType(_ name: String) -> Failure {
        Failure(
            "unknown record type '\(Sanitizer.clean(name))'; types: "
                + RecordType.allCases.map(\.rawValue).joined(separator: " "))
    }

    static func keyFailure(_ error: RecordKeyError, _ type: RecordType) -> Failure {
        switch error {
        case .missingPart, .extraParts: return Failure(Sanitizer.clean(error.description))
        default: return Failure(Sanitizer.clean("\(error.description); usage: \(type.usage)"))
        }
    }

    /// Splits on spaces. A word that starts with `"` or `'` runs to the matching quote (spaces
    /// kept, quotes dropped); a word that starts with `{` or `[` is JSON and runs to its balancing
    /// bracket, quotes and spaces kept (`set k {"type":"x","n":1}`); elsewhere quotes are literal.
    static func split(_ line: String) -> Result<[String], Failure> {
        splitLocated(line).map { $0.map(\.word) }
    }

    /// `split`, with the index in `Array(line)` where each word starts.
    static func splitLocated(_ line: String) -> Result<[(word: String, start: Int)], Failure> {
        var words: [(word: String, start: Int)] = []
        let chars = Array(line)
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            if ch == " " || ch == "\t" {
                i += 1
                continue
            }
            let start = i
            var current = ""
            if ch == "\"" || ch == "'" {
                guard let end = chars[(i + 1)...].firstIndex(of: ch) else { return .failure(Failure("missing closing \(ch)")) }
                current = String(chars[(i + 1)..<end])
                i = end + 1
            } else if ch == "{" || ch == "[" {
                let end = jsonEnd(chars, from: i)
                current = String(chars[i..<end])
                i = end
            }
            while i < chars.count, chars[i] != " ", chars[i] != "\t" {
                current.append(chars[i])
                i += 1
            }
            words.append((current, start))
        }
        return .success(words)
    }

    /// The index after the bracket that balances the one at `start` (JSON strings and escapes
    /// respected), or the end of the line when it never balances.
    static func jsonEnd(_ chars: [Character], from start: Int) -> Int {
        var depth = 0
        var inString = false
        var i = start
        while i < chars.count {
            let c = chars[i]
            if inString {
                if c == "\\" { i += 1 } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "{" || c == "[" {
                depth += 1
            } else if c == "}" || c == "]" {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return chars.count
    }
}
