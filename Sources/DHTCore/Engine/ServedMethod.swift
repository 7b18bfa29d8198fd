/// A method a BitDust node serves (docs/protocol.md §8), told from a peer's method name with at
/// most one string comparison: the seven names have seven different lengths, and a comparison
/// that fails costs a call into the standard library where one that matches costs none.
/// A value type.
enum ServedMethod: Int, CaseIterable, Sendable {
    case ping, store, findNode, findValue, request, delete, verifyUpdate

    /// The name on the wire.
    var name: String {
        switch self {
        case .ping: "ping"
        case .store: "store"
        case .findNode: "findNode"
        case .findValue: "findValue"
        case .request: "request"
        case .delete: "delete"
        case .verifyUpdate: "verify_update"
        }
    }

    /// The method named `name`, nil for any other name.
    init?(_ name: String) {
        let candidate: ServedMethod
        switch name.utf8.count {
        case 4: candidate = .ping
        case 5: candidate = .store
        case 6: candidate = .delete
        case 7: candidate = .request
        case 8: candidate = .findNode
        case 9: candidate = .findValue
        case 13: candidate = .verifyUpdate
        default: return nil
        }
        guard name == candidate.name else { return nil }
        self = candidate
    }
}
