import DHTCore
import DHTWire
import NodeAPI

/// A crawl's bookkeeping: every node met (at most `maxNodes`, in the order met), the ones still
/// to visit, and for the size estimate which half of the visited nodes reported each one
/// (visits alternate between two "samples", a capture–recapture design). Bounded by `maxNodes`
/// whatever peers answer. An actor; reads no clock.
actor CrawlBook {
    let maxNodes: Int
    private(set) var nodes: [CrawledNode] = []
    private var index: [NodeID: Int] = [:]
    /// Bit 0: reported by a visit of sample 0; bit 1: by sample 1.
    private var reportedBy: [UInt8] = []
    private var queue: [Int] = []
    private var head = 0
    private var visits = 0
    /// Nodes not kept because the book was full.
    private(set) var refused = 0

    /// This node's own id on the layer: never kept (peers may list us).
    let excluded: NodeID?

    init(maxNodes: Int, excluding: NodeID? = nil) {
        self.maxNodes = maxNodes
        excluded = excluding
    }

    /// Adds a node met (from the routing table when `sample` is nil, else reported by a visit of
    /// that sample); true when it is new and kept.
    @discardableResult
    func meet(_ contact: ContactTriple, sample: Int?) -> Bool {
        if contact.id == excluded { return false }
        if let i = index[contact.id] {
            if let sample { reportedBy[i] |= 1 << UInt8(sample & 1) }
            return false
        }
        guard nodes.count < maxNodes else {
            refused += 1
            return false
        }
        index[contact.id] = nodes.count
        nodes.append(CrawledNode(id: contact.id, endpoint: contact.endpoint, responsive: false))
        reportedBy.append(sample.map { 1 << UInt8($0 & 1) } ?? 0)
        queue.append(nodes.count - 1)
        return true
    }

    /// The next node to visit, with its sample (visits alternate 0, 1, 0, …); nil when none waits.
    func next() -> (index: Int, contact: ContactTriple, sample: Int)? {
        guard head < queue.count else { return nil }
        let i = queue[head]
        head += 1
        let sample = visits & 1
        visits += 1
        let n = nodes[i]
        return (i, ContactTriple(id: n.id, endpoint: n.endpoint, layer: 0), sample)
    }

    /// Records a finished visit and returns the node as it now reads.
    func visited(_ i: Int, responsive: Bool, layers: [Int], contactsReturned: Int) -> CrawledNode {
        nodes[i].responsive = responsive
        nodes[i].layers = layers
        nodes[i].contactsReturned = contactsReturned
        return nodes[i]
    }

    /// Chapman's capture–recapture estimate of the network's size from the two samples' reports,
    /// with a 95% interval (never below the nodes found); nil until both samples reported
    /// something in common.
    func estimate() -> NetworkSizeEstimate? {
        var n1 = 0, n2 = 0, both = 0
        for flags in reportedBy {
            if flags & 1 != 0 { n1 += 1 }
            if flags & 2 != 0 { n2 += 1 }
            if flags == 3 { both += 1 }
        }
        return CrawlReport.chapman(n1: n1, n2: n2, both: both, found: nodes.count)
    }
}
