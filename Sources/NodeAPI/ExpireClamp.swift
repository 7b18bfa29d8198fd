import DHTCore

/// What becomes of a lifetime asked for with `set`: the engine keeps every record it publishes
/// within `EngineConfiguration.minExpireSeconds…maxExpireSeconds` (120…43,200 s by default), and
/// the operator is told when that changed the number, never silently. Pure; thread-safe.
public struct ExpireClamp: Sendable, Hashable {
    /// The seconds asked for.
    public var requested: Int64
    /// The seconds the record is given.
    public var used: Int64
    /// The bound that applied.
    public var minimum: Int64
    public var maximum: Int64

    /// The clamp of `requested` by `configuration`'s bounds.
    public init(requested: Int64, configuration: EngineConfiguration = EngineConfiguration()) {
        self.requested = requested
        minimum = configuration.minExpireSeconds
        maximum = configuration.maxExpireSeconds
        used = min(max(requested, minimum), maximum)
    }

    /// Whether the lifetime was changed.
    public var changed: Bool { used != requested }

    /// `expire 5 s raised to the minimum 120 s` (or lowered to the maximum); nil when unchanged.
    public var note: String? {
        guard changed else { return nil }
        return used > requested
            ? "expire \(requested) s raised to the minimum \(used) s"
            : "expire \(requested) s lowered to the maximum \(used) s"
    }

    /// Adds the note to `outcome`: after its summary (the prompt shows it) and as the JSON
    /// fields `expire_seconds` (what was used) and `expire_note`. Unchanged lifetimes add nothing.
    public func annotate(_ outcome: inout CommandOutcome) {
        guard let note, outcome.fields["expire_note"] == nil else { return }
        outcome.summary += "; \(note)"
        outcome.fields["expire_seconds"] = .int(used)
        outcome.fields["expire_note"] = .string(note)
    }
}
