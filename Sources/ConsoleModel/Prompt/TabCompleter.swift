/// Completes the word before the cursor at the prompt: command words first, then arguments
/// (theme names, layer numbers, stored keys, known peer addresses). Pure and thread-safe.
public struct TabCompleter: Sendable {
    public var themes: [String]
    public var layers: [Int]
    public var keys: [String]
    public var addresses: [String]

    public init(themes: [String] = [], layers: [Int] = [], keys: [String] = [], addresses: [String] = []) {
        self.themes = themes
        self.layers = layers
        self.keys = keys
        self.addresses = addresses
    }

    /// The candidates for the last word of `line`.
    public func candidates(for line: String) -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let endsWithSpace = line.last == " "
        let partial = endsWithSpace ? "" : (words.last ?? "")
        let position = endsWithSpace ? words.count : max(0, words.count - 1)
        let pool: [String]
        if position == 0 {
            pool = PromptCommand.words
        } else {
            switch words[0].lowercased() {
            case "theme": pool = themes
            case "layer": pool = layers.map(String.init)
            case "get", "delete", "find", "set": pool = position == 1 ? keys : []
            case "ping", "join": pool = addresses
            default: pool = []
            }
        }
        return pool.filter { $0.hasPrefix(partial) }.sorted()
    }

    /// `line` with its last word completed to the longest common prefix of the candidates (and
    /// a space after a unique match); nil when nothing matches.
    public func complete(_ line: String) -> String? {
        let c = candidates(for: line)
        guard let first = c.first else { return nil }
        var common = first
        for other in c.dropFirst() {
            while !other.hasPrefix(common) { common.removeLast() }
        }
        let head: Substring
        if line.last == " " || line.isEmpty {
            head = Substring(line)
        } else if let space = line.lastIndex(of: " ") {
            head = line[...space]
        } else {
            head = ""
        }
        return String(head) + common + (c.count == 1 ? " " : "")
    }
}
