import Foundation
import StrataRuntime

/// An instance's shadow as the desired state holds it: another script version or config that
/// runs beside the instance in observe mode, on the same ticks, with a state of its own (it
/// starts from the instance's), its would-be orders recorded as shadow signals. Promoting it
/// makes its version and config the instance's and keeps its state.
public struct ShadowRecord: Sendable, Equatable {
    public var instanceID: String
    /// The script it runs; nil: the instance's own current version (a config-only shadow).
    public var source: String?
    /// Its config (validated against its script's schema when it was set).
    public var config: [String: JSONValue]
    public var createdAt: Date
    public var updatedAt: Date
    /// Set when a promotion was asked for and the engine has not carried it out yet.
    public var promoteRequestedAt: Date?

    public init(
        instanceID: String, source: String?, config: [String: JSONValue], createdAt: Date, updatedAt: Date, promoteRequestedAt: Date? = nil
    ) {
        self.instanceID = instanceID
        self.source = source
        self.config = config
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.promoteRequestedAt = promoteRequestedAt
    }

    /// The content hash of its own script (nil: it runs the instance's version).
    public var version: String? { source.map(ContentHash.hex(of:)) }
}

/// The store's part for shadows. Same rules as ``InstanceStore``: thread-safe, one transaction
/// per call, ``StoreError`` on failure; every change is audited and moves the change token.
public protocol ShadowStore: Sendable {
    /// Sets (or replaces) the shadow of an instance; audited as `shadow`.
    /// - Throws: `notFound` for an unknown instance.
    @discardableResult
    func setShadow(instanceID: String, source: String?, config: [String: JSONValue], actor: AuditActor) throws -> ShadowRecord

    /// Removes the shadow of an instance (audited); false when it had none.
    @discardableResult
    func removeShadow(instanceID: String, actor: AuditActor) throws -> Bool

    /// Every shadow.
    func shadows() throws -> [ShadowRecord]

    /// The shadow of one instance.
    func shadow(instanceID: String) throws -> ShadowRecord?

    /// Asks for a promotion: the instance's config becomes the shadow's (audited as `config`, and
    /// the promotion as `promote`); the engine then hands the shadow's state and version to the
    /// instance and removes the shadow (``completePromotion(instanceID:)``).
    /// - Throws: `notFound` when the instance has no shadow.
    @discardableResult
    func requestPromotion(instanceID: String, actor: AuditActor) throws -> InstanceRecord

    /// Removes a shadow whose promotion the engine carried out (not audited again).
    func completePromotion(instanceID: String) throws

    /// The newest `limit` signals the instance's shadows recorded, oldest first.
    func shadowSignals(instanceID: String, limit: Int) throws -> [SignalRecord]
}
