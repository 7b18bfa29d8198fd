import ArgumentParser
import DHTCore
import DHTWire
import Logging
import NodeAPI

/// One `--seed` value: `HOST:PORT`, or `genesis`/`root` for "no seeds" (docs/protocol.md §2). A value type.
enum SeedSpec: Hashable, Sendable, ExpressibleByArgument {
    case genesis
    case address(host: String, port: UInt16)

    init?(argument: String) {
        guard let spec = try? SeedSpec.parse(argument) else { return nil }
        self = spec
    }

    /// Parses one seed, explaining in one line what is wrong.
    static func parse(_ text: String) throws(ValidationError) -> SeedSpec {
        if ["genesis", "root"].contains(text.lowercased()) { return .genesis }
        let (host, port) = try parseHostPort(text, what: "seed")
        return .address(host: host, port: port)
    }

    /// BitDust's public seed nodes (docs/protocol.md §2), all on UDP port 14441.
    static let bitdustDefaults: [SeedSpec] = [
        "p2p-id.ru", "p2p-alice.ai", "bitdust.ai", "root-node.ai", "bitdust.app", "peer2peer.ai", "seed.bitdust.io"
    ].map { .address(host: $0, port: 14441) }
}

/// Splits `HOST:PORT`, with the port in 1…65535.
func parseHostPort(_ text: String, what: String) throws(ValidationError) -> (String, UInt16) {
    guard let colon = text.lastIndex(of: ":") else {
        throw ValidationError("\(what) '\(text)' is not HOST:PORT")
    }
    let host = String(text[..<colon])
    let portText = text[text.index(after: colon)...]
    guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == ":" }) else {
        throw ValidationError("\(what) '\(text)' has no valid host before the ':'")
    }
    guard let port = Int(portText), (1...65535).contains(port) else {
        throw ValidationError("\(what) '\(text)' has no valid port (1-65535) after the ':'")
    }
    return (host, UInt16(port))
}

/// Checks that a layer is one BitDust defines (0–9, docs/protocol.md §7).
func checkLayer(_ layer: Int) throws(ValidationError) {
    try NumberCheck.check(layer, "--layer", 0...9)
}

/// `--seed`, shared by every command. A value type.
struct SeedOptions: ParsableArguments {
    @Option(
        name: .customLong("seed"),
        help: ArgumentHelp(
            "A seed node as HOST:PORT (repeatable); 'genesis' or 'root' starts a network of its own. Default: BitDust's public seeds.",
            valueName: "host:port"),
        transform: { try SeedSpec.parse($0) })
    var seeds: [SeedSpec] = []

    func validate() throws {
        if seeds.contains(.genesis) && seeds.count > 1 {
            throw ValidationError("--seed genesis cannot be combined with seed addresses")
        }
    }

    /// The seeds asked for; BitDust's public ones when none was given; empty for genesis.
    var effectiveSeeds: [SeedSpec] {
        if seeds.isEmpty { return SeedSpec.bitdustDefaults }
        return seeds.filter { $0 != .genesis }
    }

    var isGenesis: Bool { seeds == [.genesis] }
}

/// The options of every one-shot command that talks to the network: layer, `--json`, `--timeout`.
/// A value type.
struct CommandOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "The DHT layer to use (0-9).")
    var layer: Int = 0

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Give up after this many seconds overall (at most 3600).", valueName: "seconds"))
    var timeout: Double = 30

    func validate() throws {
        try checkLayer(layer)
        try NumberCheck.positive(timeout, "--timeout", max: 3600, unit: " seconds")
    }
}

/// The options of the one-shot commands that join the network first: `--seed` plus
/// `CommandOptions` (ping joins nothing and takes `CommandOptions` alone). A value type.
struct OneShotOptions: ParsableArguments {
    @OptionGroup var seedOptions: SeedOptions
    @OptionGroup var command: CommandOptions

    var layer: Int { command.layer }
    var json: Bool { command.json }
    var timeout: Double { command.timeout }
}

/// A KEY argument and `--raw-key`, turned into a DHT key by `KeyArgument`'s one rule: hashed as
/// BitDust does, sha1(utf8(KEY)); with --raw-key 40 hex digits used as is. A value type.
struct KeyOptions: ParsableArguments {
    @Argument(help: "The key string (hashed with sha1 as BitDust does).")
    var key: String

    @Flag(name: .customLong("raw-key"), help: "KEY is already a 40-hex-digit DHT key; do not hash it.")
    var rawKey = false

    func validate() throws { _ = try argument }

    /// The key (a usage error when `--raw-key` is given with anything but 40 hex digits).
    var argument: KeyArgument {
        get throws {
            do throws(KeyArgument.Invalid) { return try KeyArgument(key, raw: rawKey) } catch {
                throw ValidationError(error.description)
            }
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
