import ArgumentParser
import NodeAPI

/// `dhtop ping HOST:PORT`: one ping QUESTION from a throwaway node (no join needed).
/// Exit 0 with the peer's id and round-trip time; exit 1 when it does not answer in time.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Ping one DHT node.",
        discussion: "Sends one ping QUESTION straight to HOST:PORT from a throwaway node; nothing is joined."
    )

    @Argument(help: ArgumentHelp("The node to ping.", valueName: "host:port"))
    var target: String

    @OptionGroup var common: CommandOptions

    func validate() throws {
        _ = try parseHostPort(target, what: "address")
    }

    func run() async throws {
        let (host, port) = try parseHostPort(target, what: "address")
        switch SeedResolver.resolve(host: host, port: port) {
        case .success(let endpoint):
            try await OneShot.run(NodeAPI.NodeCommand.ping(endpoint), options: common, seeds: nil, peers: [endpoint])
        case .failure(let failure):
            try OneShot.print(
                .failure(failure.reason, fields: JSONFields([("target", .string(target)), ("layer", .int(common.layer))])),
                json: common.json)
        }
    }
}
