/// One DHT message as it travels inside a datagram: the integer-keyed envelope of docs/protocol.md §5.
///
/// Keys: 0 type, 1 RPC id, 2 sender id for the layer, 3 method / result / exception type,
/// 4 args / error message, 5 layer. A value type; thread-safe.
public struct WireMessage: Hashable, Sendable {
    /// The RPC id (key 1): a request's id, echoed by its response or error. It is also the
    /// `rpcID` of the frame header.
    public var rpcID: NodeID
    /// The sender's node id for `layer` (key 2).
    public var sender: NodeID
    /// The DHT layer (key 5); 0 when absent.
    public var layer: Int
    public var body: Body

    public init(rpcID: NodeID, sender: NodeID, layer: Int, body: Body) {
        self.rpcID = rpcID
        self.sender = sender
        self.layer = layer
        self.body = body
    }

    /// What the message carries, by its type (key 0).
    public enum Body: Hashable, Sendable {
        /// Type 0: a call whose sender should be added to the receiver's routing table.
        case request(method: String, args: [BValue])
        /// Type 3: a call whose sender must not be added to routing tables (docs/protocol.md §7).
        case question(method: String, args: [BValue])
        /// Type 1: a result.
        case response(BValue)
        /// Type 2: an exception, as `builtins.<Class>` plus its text.
        case error(type: String, message: String)
    }

    /// The numeric message type of key 0.
    public var typeCode: Int64 {
        switch body {
        case .request: return 0
        case .response: return 1
        case .error: return 2
        case .question: return 3
        }
    }

    /// True for request and question: a call that expects an answer.
    public var isCall: Bool {
        switch body {
        case .request, .question: return true
        case .response, .error: return false
        }
    }
}
