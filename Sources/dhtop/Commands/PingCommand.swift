import ArgumentParser
import DHTCore
import DHTWire

/// `dhtop ping HOST:PORT`: one ping QUESTION from a throwaway node (no join needed).
/// Exit 0 with the peer's id and round-trip time; exit 1 when it does not answer in time.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Ping one DHT node.",
        discussion: "Sends one ping QUESTION straight to HOST:PORT; no join, so --seed is not used."
    )

    @Argument(help: ArgumentHelp("The node to ping.", valueName: "host:port"))
    var target: String

    @OptionGroup var common: OneShotOptions

    func validate() throws {
        _ = try parseHostPort(target, what: "address")
    }

    func run() async throws {
        let (host, port) = try parseHostPort(target, what: "address")
        let endpoint: Endpoint
        switch SeedResolver.resolve(host: host, port: port) {
        case .success(let e): endpoint = e
        case .failure(let failure):
            Output.fail(failure.reason)
            throw ExitCode(DHTop.failureStatus)
        }
        let session = try EphemeralSession(seeds: [], peers: [endpoint], layer: common.layer, timeout: common.timeout)
        defer { session.close() }
        let result = await session.perform(.ping(endpoint, layer: common.layer))
        var json = JSONObject()
        json.add("target", endpoint.description)
        json.add("layer", common.layer)
        switch result {
        case .pong(let reply)?:
            json.add("ok", true)
            json.add("id", reply.id.hex)
            json.add("rtt_ms", reply.rtt.milliseconds)
            Output.line(common.json ? json.text : "pong from \(reply.endpoint) (\(reply.id.hex)) in \(Output.ms(reply.rtt))")
        default:
            let reason: String
            if case .failed(let f)? = result { reason = "\(endpoint): \(f.message)" } else {
                reason = "no answer from \(endpoint) within \(common.timeout) s"
            }
            throw Output.failure(reason, json: json, asJSON: common.json)
        }
    }
}
