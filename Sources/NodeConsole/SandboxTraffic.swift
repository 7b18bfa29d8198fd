import DHTCore
import DHTRuntime
import DHTWire
import Dispatch

/// The sandbox's traffic loop: each `step` does one small thing on a random running node.
///
/// Contract: `step` and `timer` are used only on the sandbox's serial queue (hence
/// `@unchecked Sendable`). Bounded by construction; see `Sandbox`. Reads no clock.
final class SandboxTraffic: @unchecked Sendable {
    unowned let sandbox: Sandbox
    let churnEvery: Int
    var timer: (any DispatchSourceTimer)?
    private var steps = 0
    private var stored: [String] = []
    private var generator = SystemRandomNumberGenerator()

    init(sandbox: Sandbox, churnEvery: Int) {
        self.sandbox = sandbox
        self.churnEvery = churnEvery
    }

    /// How many distinct keys the loop writes.
    static let keyCount = 40

    func step() {
        steps += 1
        if churnEvery > 0, steps % churnEvery == 0 {
            churn()
            return
        }
        let nodes = sandbox.runningNodes
        guard let node = nodes.randomElement(using: &generator) else { return }
        switch stored.isEmpty ? 0 : steps % 3 {
        case 0:
            let key = "sandbox-\(Int.random(in: 0..<Self.keyCount, using: &generator))"
            let value = "{\"type\":\"skip_validation\",\"step\":\(steps),\"note\":\"sandbox traffic\"}"
            node.perform(.store(key: DHTKey.hash(key), value: .string(value), expireSeconds: 3600, layer: 0)) { _ in }
            if !stored.contains(key) { stored.append(key) }
        case 1:
            let key = stored.randomElement(using: &generator)!
            node.perform(.findValue(key: DHTKey.hash(key), layer: 0, collectAll: false)) { _ in }
        default:
            if let peer = sandbox.endpoints.randomElement(using: &generator) {
                node.perform(.ping(peer, layer: 0)) { _ in }
            }
        }
    }

    /// Brings a node that left back (same port when it is still free), or lets one leave.
    private func churn() {
        let slots = sandbox.slots.withLock { $0 }
        if let down = slots.indices.first(where: { slots[$0].node == nil }) {
            let seed = slots[0].endpoint
            let node =
                (try? Sandbox.makeNode(port: slots[down].endpoint.port, seeds: [seed], logger: sandbox.logger))
                ?? (try? Sandbox.makeNode(port: 0, seeds: [seed], logger: sandbox.logger))
            guard let node else { return }
            sandbox.slots.withLock { $0[down] = Sandbox.Slot(endpoint: Endpoint(address: Endpoint.loopback, port: node.port), node: node) }
            node.perform(.join(seeds: [seed], layer: 0, attach: true)) { _ in }
            sandbox.logger.info("sandbox: node \(down) is back on port \(node.port)")
        } else if slots.count > 1 {
            let leaving = Int.random(in: 1..<slots.count, using: &generator)
            guard
                let node = sandbox.slots.withLock({ s -> DHTNode? in
                    defer { s[leaving].node = nil }
                    return s[leaving].node
                })
            else { return }
            node.stop()
            sandbox.logger.info("sandbox: node \(leaving) left (port \(node.port))")
        }
    }
}
