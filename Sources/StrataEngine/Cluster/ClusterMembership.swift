import Synchronization

/// A `strata serve` process's place in a cluster: its node name, the store the nodes share, the
/// fencing tokens it holds, and the timings of its lease keeper. Nil on a single machine.
public final class ClusterMembership: Sendable {
    /// The default lease: an instance whose node stops renewing is taken over within about
    /// `leaseTTL + renewInterval` seconds plus its load.
    public static let defaultLeaseTTL = 3.0
    /// The default time between two rounds of heartbeat and lease renewal.
    public static let defaultRenewInterval = 0.5
    /// The default for ``takeLimit``.
    public static let defaultTakeLimit = 1_000

    /// This node's name (`--node`).
    public let node: String
    /// The shared store's cluster part.
    public let store: any ClusterStore
    /// The tokens this node holds; the node's store fences its writes with them.
    public let leases: LeaseBook
    /// How long a lease holds without renewal, and how old a heartbeat may be before its node
    /// counts as gone (seconds, database clock).
    public let leaseTTL: Double
    /// Seconds between two lease rounds (heartbeat, renew, take, release).
    public let renewInterval: Double
    /// The most leases one round takes. Loading what it took happens in one step of the engine,
    /// without heartbeats: 1,000 instances load in about half a second, well inside a lease.
    /// More waiting instances are taken over the next rounds.
    public let takeLimit: Int
    private let addressBox = Mutex<String?>(nil)

    public init(
        node: String, store: any ClusterStore, leases: LeaseBook, leaseTTL: Double = ClusterMembership.defaultLeaseTTL,
        renewInterval: Double = ClusterMembership.defaultRenewInterval, takeLimit: Int = ClusterMembership.defaultTakeLimit
    ) {
        self.node = node
        self.store = store
        self.leases = leases
        self.leaseTTL = leaseTTL
        self.renewInterval = renewInterval
        self.takeLimit = max(1, takeLimit)
    }

    /// Where this node's HTTP API answers (`http://HOST:PORT`), once it listens; sent with
    /// every heartbeat so other nodes can send clients here.
    public var address: String? {
        get { addressBox.withLock { $0 } }
        set { addressBox.withLock { $0 = newValue } }
    }
}
