import DHTCore
import DHTWire
#if canImport(Glibc)
    import Glibc
#endif

/// Resolves seed host names to IPv4 endpoints with getaddrinfo. Blocking: call at start, or off
/// the node's queue before a join retry (`resolveSet`). Stateless; thread-safe.
enum SeedResolver {
    /// The endpoints of `seeds`, in order and without duplicates. A host that does not resolve
    /// is skipped with a note on stderr.
    static func resolve(_ seeds: [SeedSpec]) -> [Endpoint] {
        var out: [Endpoint] = []
        for case .address(let host, let port) in seeds {
            switch resolve(host: host, port: port) {
            case .success(let endpoint):
                if !out.contains(endpoint) { out.append(endpoint) }
            case .failure(let reason):
                Output.note("skipping seed \(host):\(port): \(reason)")
            }
        }
        return out
    }

    /// The endpoints of `seeds` and how many names did not resolve, quietly (for the node's join
    /// retries: every name is resolved again at each attempt).
    static func resolveSet(_ seeds: [SeedSpec]) -> SeedSet {
        var out: [Endpoint] = []
        var failed = 0
        for case .address(let host, let port) in seeds {
            switch resolve(host: host, port: port) {
            case .success(let endpoint): if !out.contains(endpoint) { out.append(endpoint) }
            case .failure: failed += 1
            }
        }
        return SeedSet(endpoints: out, unresolved: failed, genesis: false)
    }

    /// How many of `seeds` are names or addresses to resolve (genesis excluded).
    static func addressCount(_ seeds: [SeedSpec]) -> Int {
        seeds.reduce(0) { if case .address = $1 { return $0 + 1 } else { return $0 } }
    }

    /// One host's first IPv4 address.
    static func resolve(host: String, port: UInt16) -> Result<Endpoint, ResolveFailure> {
        if let address = Endpoint.parseIPv4(host) { return .success(Endpoint(address: address, port: port)) }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0, let first = list else {
            return .failure(ResolveFailure(reason: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))"))
        }
        defer { freeaddrinfo(list) }
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET, let sa = entry.pointee.ai_addr {
                let address = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
                return .success(Endpoint(address: address, port: port))
            }
            cursor = entry.pointee.ai_next
        }
        return .failure(ResolveFailure(reason: "\(host) has no IPv4 address"))
    }

    /// Whether every endpoint is on 127.0.0.0/8 (so an ephemeral node can bind loopback only).
    static func allLoopback(_ endpoints: [Endpoint]) -> Bool {
        !endpoints.isEmpty && endpoints.allSatisfy { $0.address >> 24 == 127 }
    }
}

/// Why a host name did not resolve, in one line. A value type.
struct ResolveFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
